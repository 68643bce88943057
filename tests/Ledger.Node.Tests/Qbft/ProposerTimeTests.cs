using Ledger.Consensus;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Crypto;
using Ledger.Node.Hosting;
using Ledger.TestKit.Network;

namespace Ledger.Node.Tests.Qbft;

/// <summary>
/// Proposer-based timestamps with real chains in one process and skewed clocks: a proposer whose clock is 30 s fast or
/// slow proposes height 1 and is refused as untimely; the round changes and an honest proposer commits. Clocks within the
/// precision commit at once.
/// </summary>
[NonParallelizable]
public class ProposerTimeTests
{
    private static readonly TestConsortium Consortium = new(validators: 4, chainId: "gd-pbts-test");

    private static byte[] Register(string id) =>
        Consortium.Transaction(Consortium.Register(id, Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(id))), Consortium.Employer, [Consortium.Employer]).Encode();

    /// <summary>The index (in the consortium's validators, as members are made) of proposer(height, round).</summary>
    private static int ProposerIndex(ulong height, uint round)
    {
        var proposer = new ValidatorView(Consortium.Validators.Select(v => v.Certificate!.Id)).Proposer(height, round);
        return Consortium.Validators.ToList().FindIndex(v => v.Certificate!.Id == proposer);
    }

    [TestCase(30)]
    [TestCase(-30)]
    public async Task A_proposer_30_s_off_cannot_get_its_block_committed_and_an_honest_proposer_commits(int skewSeconds)
    {
        var skewed = ProposerIndex(1, 0);
        var skews = Enumerable.Range(0, 4).Select(i => i == skewed ? TimeSpan.FromSeconds(skewSeconds) : TimeSpan.Zero).ToArray();
        await using var network = new InProcessConsortium(Consortium, skews);
        network.Start();

        Assert.That(network.Submit(Register($"PBTS-SKEW-{skewSeconds}")), Is.True);
        var honest = network.Members.Where((_, i) => i != skewed).ToArray();
        await network.WaitForHeightAsync(1, TimeSpan.FromSeconds(60), honest);

        var block = honest[0].Chain.GetBlock(1)!;
        Assert.That(block.Header.Proposer, Is.Not.EqualTo(network.Members[skewed].Id), "the skewed proposer's block was committed");
        Assert.That(block.Commit!.Round, Is.GreaterThan(0U), "decided after a round change");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.That(block.Header.Timestamp, Is.InRange(now - 60_000, now + 1_000), "an honest clock's time");
        Assert.That(honest.Sum(m => m.Driver.Metrics!.Dropped(ErrorCode.UntimelyProposal)), Is.GreaterThan(0), "its proposal was refused as untimely");
        foreach (var member in honest)
            Assert.That(member.Chain.GetBlock(1)!.Commit!.BlockHash, Is.EqualTo(block.Commit.BlockHash));
        var refuser = honest.First(m => m.Driver.Metrics!.Dropped(ErrorCode.UntimelyProposal) > 0);
        using var metrics = new NodeMetrics(refuser.Chain, refuser.Driver, network: null);
        Assert.That(await metrics.RenderAsync(),
            Does.Match(@"ledger_consensus_untimely_proposals_total\{[^}]*\} [1-9]"), "counted in /metrics");
    }

    [Test]
    public async Task Honest_clocks_within_the_precision_commit_without_an_untimely_refusal()
    {
        var precision = Consortium.Genesis.Consensus.TimestampPrecisionMs;
        var skews = new[] { 0.4, -0.4, 0.1, 0 }.Select(f => TimeSpan.FromMilliseconds(f * precision)).ToArray();
        await using var network = new InProcessConsortium(Consortium, skews);
        network.Start();

        for (var i = 0; i < 3; i++)
        {
            Assert.That(network.Submit(Register($"PBTS-HONEST-{i}")), Is.True);
            await network.WaitForHeightAsync((ulong)i + 1, TimeSpan.FromSeconds(60));
        }

        Assert.That(network.Members.Sum(m => m.Driver.Metrics!.Dropped(ErrorCode.UntimelyProposal)), Is.Zero);
        var blocks = Enumerable.Range(1, 3).Select(h => network.Members[0].Chain.GetBlock((ulong)h)!).ToArray();
        Assert.That(blocks.Select(b => b.Header.Timestamp), Is.Ordered.Ascending);
    }
}
