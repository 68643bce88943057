using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Tests.Simulation;
using Ledger.Consensus.Validation;
using Ledger.Core;
using Ledger.TestKit.Builders;

namespace Ledger.Consensus.Tests.Scenarios;

/// <summary>The same simulation with real SM2 keys and certificate ids: the seals are what a court's proof verifier checks.</summary>
public class Sm2ScenarioTests
{
    [Test]
    public void Four_validators_with_sm2_keys_commit_certified_blocks([Values(1, 2)] int seed)
    {
        var network = TestNetwork.Create(4);
        var keys = new Sm2KeyRing(network);
        var scenario = new Scenario
        {
            Seed = seed,
            Validators = 4,
            TargetHeight = 3,
            Faults = new NetworkFaults { DropRate = 0.05, DuplicateRate = 0.05, MaxDelayMs = 30, StableAfterMs = 5_000 },
        };
        var (result, violations) = ScenarioRuns.Run(scenario, keys);

        Assert.That(violations, Is.Empty);
        foreach (var block in result.Nodes[0].Chain.Blocks)
        {
            // The seals verify with the validators' certified public keys, as an evidence proof needs.
            var message = Ledger.Core.Blocks.CommitSeal.SigningMessage(Simulator.ChainId, block.Height, block.Certificate.Round, block.Block.Hash);
            foreach (var seal in block.Certificate.Seals)
            {
                var certificate = network.Validators.Single(v => v.Certificate.Id == seal.Validator).Certificate;
                Assert.That(certificate.PublicKey.Verify(message, seal.Signature.Span), Is.True);
            }
            var decoded = Ledger.Core.Blocks.CommitCertificate.Decode(block.Certificate.Encode());
            Assert.That(CommitCertificateVerifier.Verify(Simulator.ChainId, decoded, block.Height, block.Block.Hash, new ValidatorView(keys.Validators), keys).IsValid, Is.True);
        }
    }

    [Test]
    public void A_certificate_with_a_forged_seal_is_refused_by_the_sync_check()
    {
        var network = TestNetwork.Create(4);
        var keys = new Sm2KeyRing(network);
        var hash = FakeKeyRing.IdOf("some block");
        var seals = network.Seal(7, 0, hash, [0, 1, 2]).ToList();
        var valid = new Ledger.Core.Blocks.CommitCertificate { Height = 7, Round = 0, BlockHash = hash, Seals = seals };
        var view = new ValidatorView(keys.Validators);
        Assert.That(CommitCertificateVerifier.Verify(network.ChainId, valid, 7, hash, view, keys).IsValid, Is.True);

        var forged = valid with { Seals = [seals[0], seals[1], seals[2] with { Signature = seals[1].Signature }] };
        Assert.That(CommitCertificateVerifier.Verify(network.ChainId, forged, 7, hash, view, keys).Code, Is.EqualTo(ErrorCode.InvalidSeal));
        var short_ = valid with { Seals = seals.Take(2).ToList() };
        Assert.That(CommitCertificateVerifier.Verify(network.ChainId, short_, 7, hash, view, keys).Code, Is.EqualTo(ErrorCode.InsufficientSeals));
        var doubled = valid with { Seals = [seals[0], seals[0], seals[1]] };
        Assert.That(CommitCertificateVerifier.Verify(network.ChainId, doubled, 7, hash, view, keys).Code, Is.EqualTo(ErrorCode.DuplicateSeal));
        Assert.That(CommitCertificateVerifier.Verify("another-chain", valid, 7, hash, view, keys).Code, Is.EqualTo(ErrorCode.InvalidSeal));
    }
}
