using Ledger.Consensus.Messages;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Tests.Simulation;

namespace Ledger.Consensus.Tests.Scenarios;

/// <summary>(e) A proposer sends different blocks to different nodes: no fork, and the honest nodes keep the evidence.</summary>
public class EquivocationScenarioTests
{
    [Test]
    public void Equivocating_proposer_cannot_fork_and_is_recorded()
    {
        const int seeds = 100;
        var recorded = 0;
        for (var seed = 0; seed < seeds; seed++)
        {
            var keys = new FakeKeyRing(4);
            var evil = ScenarioRuns.ProposerIndex(keys, 1, 0);
            var scenario = new Scenario
            {
                Seed = seed,
                Validators = 4,
                TargetHeight = 9, // the equivocator proposes heights 1, 5 and 9 at round 0
                Equivocator = evil,
                Faults = new NetworkFaults { DropRate = 0.03, DuplicateRate = 0.05, MaxDelayMs = 50, StableAfterMs = 10_000 },
            };
            var (result, violations) = ScenarioRuns.Run(scenario, keys);

            Assert.That(violations, Is.Empty, $"seed {seed}");
            Assert.That(ScenarioRuns.EvidenceAgainstHonest(result), Is.Empty, $"seed {seed}");
            var evidence = result.HonestNodes.SelectMany(n => n.AllEvidence()).ToList();
            foreach (var e in evidence) AssertVerifiable(e, keys);
            if (evidence.Any(e => e.Type == MessageType.Proposal && e.Validator == keys.Validators[evil])) recorded++;
        }
        TestContext.Out.WriteLine($"equivocating proposals recorded by an honest node in {recorded} of {seeds} seeds");
        Assert.That(recorded, Is.GreaterThanOrEqualTo(seeds * 9 / 10), "the witness receives both blocks unless the network drops one");
    }

    /// <summary>Evidence must convince a third party: two valid signatures by the validator, same slot, different blocks.</summary>
    private static void AssertVerifiable(EquivocationEvidence e, FakeKeyRing keys)
    {
        foreach (var signed in new[] { e.First, e.Second })
        {
            Assert.That(signed.Signer, Is.EqualTo(e.Validator));
            Assert.That(keys.Verify(signed.Signer, signed.SigningBytes(), signed.Signature), Is.True);
            Assert.That((signed.Payload.Height, signed.Payload.Round, signed.Payload.Type), Is.EqualTo((e.Height, e.Round, e.Type)));
        }
        Assert.That(e.First.Payload.Digest, Is.Not.EqualTo(e.Second.Payload.Digest));
    }
}
