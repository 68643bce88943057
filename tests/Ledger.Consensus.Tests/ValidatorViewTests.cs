using Ledger.Consensus.Tests.Fakes;

namespace Ledger.Consensus.Tests;

public class ValidatorViewTests
{
    [Test]
    public void Proposer_rotates_over_the_sorted_ids_by_height_plus_round()
    {
        var keys = new FakeKeyRing(5);
        var view = new ValidatorView(keys.Validators.Reverse());
        var sorted = keys.Validators.Order().ToArray();
        Assert.That(view.Sorted, Is.EqualTo(sorted));
        for (ulong h = 1; h < 12; h++)
            for (uint r = 0; r < 7; r++)
                Assert.That(view.Proposer(h, r), Is.EqualTo(sorted[(h + r) % 5]));
    }

    [TestCase(1, 1, 0)]
    [TestCase(4, 3, 1)]
    [TestCase(5, 4, 1)]
    [TestCase(6, 4, 1)]
    [TestCase(7, 5, 2)]
    [TestCase(22, 15, 7)]
    public void Quorum_is_two_thirds_rounded_up_and_two_quorums_overlap_in_an_honest_validator(int n, int quorum, int f)
    {
        var view = new ValidatorView(new FakeKeyRing(n).Validators);
        Assert.That((view.Quorum, view.FaultTolerance), Is.EqualTo((quorum, f)));
        Assert.That(2 * view.Quorum - n, Is.GreaterThan(view.FaultTolerance));
        Assert.That(view.Quorum, Is.LessThanOrEqualTo(n - view.FaultTolerance), "the honest validators alone make a quorum");
    }
}
