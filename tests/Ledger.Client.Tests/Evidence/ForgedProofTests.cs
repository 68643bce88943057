using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Evidence;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit.Builders;

namespace Ledger.Client.Tests.Evidence;

/// <summary>
/// Proofs an attacker can build with what can leak — a city CA's key (the signer keeps one online), one genuine
/// validator's key, a test network's keys, a foreign CA — each verified against the real genesis. Every one is a
/// well-formed, properly signed proof of a block the chain never certified, and every one must fail, with its reason.
/// </summary>
public class ForgedProofTests
{
    private static ProofFixture F => ProofFixture.Instance;

    private static EvidenceReport Verify(EvidenceProof proof) => EvidenceVerifier.Verify(proof, F.Network.Genesis);

    /// <summary>A document never submitted to the chain, registered in a tx of the impostor's own making.</summary>
    private static byte[] NeverSubmitted(TestNetwork network, string contractId) =>
        TestContracts.Envelope(network, TestContracts.Register(contractId, Sm3.Hash("never submitted"u8)), network.Integrator, network.Employer, F.Worker);

    private static Receipt Succeeded(byte[] envelope) => new() { TxId = TxEnvelope.Decode(envelope).ComputeId(Sm3Hasher.Instance) };

    [TestCase(1UL, Description = "the chain's first block")]
    [TestCase(7UL, Description = "conflicting with the real block at that height")]
    [TestCase(1_000_000UL, Description = "far ahead of the chain")]
    public void A_validator_certificate_the_city_CA_issued_itself_does_not_make_a_block_evidence(ulong height)
    {
        var impostor = TestNetwork.Impostor(F.Network.City, F.Network.ChainId);
        var proof = TestBlocks.Proof(impostor, TestBlocks.Build(impostor, height, [NeverSubmitted(impostor, "GZ-FORGED-1")], sealers: [0]), 0);

        var realTrust = new CertificateChainValidator(F.Network.Root.Certificate, [F.Network.City.Certificate], []);
        Assert.That(realTrust.Validate(impostor.Validators[0].Certificate, TestNetwork.DefaultBlockTime).IsValid, Is.True,
            "control: the self-issued Validator certificate does chain to the real root");
        var report = Verify(proof);
        Assert.That(report.Result.Code, Is.EqualTo(ErrorCode.UnknownValidatorSet), report.Result.ToString());
    }

    [Test]
    public void A_self_issued_validator_cannot_seal_a_block_that_names_the_real_validator_set()
    {
        var impostor = TestNetwork.Impostor(F.Network.City, F.Network.ChainId);
        var envelope = NeverSubmitted(impostor, "GZ-FORGED-2");
        var block = TestBlocks.Build(impostor, 8, [envelope], [Succeeded(envelope)], sealers: [0], validatorSetHash: F.Network.ValidatorSetHash);

        var listingItself = TestBlocks.Proof(impostor, block, 0);
        var listingTheRealSet = listingItself with { Validators = F.Proof.Validators };

        Assert.That(Verify(listingItself).Result.Code, Is.EqualTo(ErrorCode.UnknownValidator));
        Assert.That(Verify(listingTheRealSet).Result.Code, Is.EqualTo(ErrorCode.UnknownValidator));
    }

    [Test]
    public void One_genuine_validator_alone_is_not_a_quorum()
    {
        var block = TestBlocks.Build(F.Network, 13, [NeverSubmitted(F.Network, "GZ-FORGED-3")], sealers: [1]);

        Assert.That(Verify(TestBlocks.Proof(F.Network, block, 0)).Result.Code, Is.EqualTo(ErrorCode.InsufficientSeals));
    }

    [Test]
    public void One_genuine_validator_posing_as_a_set_of_one_is_not_the_chain()
    {
        // "Sealed by 1 of 1": a real validator's key, a header naming a set of just that validator.
        var alone = F.Network.WithValidators([F.Network.Validators[1]]);
        var proof = TestBlocks.Proof(alone, TestBlocks.Build(alone, 14, [NeverSubmitted(alone, "GZ-FORGED-4")], sealers: [0]), 0);

        Assert.That(EvidenceVerifier.Verify(proof, alone.Genesis).IsValid, Is.True, "control: sound under a one-validator genesis");
        Assert.That(Verify(proof).Result.Code, Is.EqualTo(ErrorCode.UnknownValidatorSet));
    }

    [Test]
    public void Another_networks_validators_certified_by_the_same_CA_are_not_the_chains()
    {
        // A test or staging network whose four validators the same city CA certified, sealed by a full quorum.
        var staging = TestNetwork.Impostor(F.Network.City, F.Network.ChainId, validators: 4);
        var proof = TestBlocks.Proof(staging, TestBlocks.Build(staging, 7, [NeverSubmitted(staging, "GZ-FORGED-5")]), 0);

        Assert.That(Verify(proof).Result.Code, Is.EqualTo(ErrorCode.UnknownValidatorSet));
    }

    [Test]
    public void A_genuinely_sealed_block_does_not_vouch_for_a_party_certificate_from_a_foreign_root()
    {
        var foreign = TestNetwork.Create(1);
        var asEmployer = TestContracts.Envelope(F.Network, TestContracts.Register("GZ-FORGED-6"), F.Network.Integrator, foreign.Employer, F.Worker);
        var asSubmitter = TestContracts.Envelope(F.Network, TestContracts.Register("GZ-FORGED-7"), foreign.Integrator, F.Network.Employer, F.Worker);

        foreach (var envelope in new[] { asEmployer, asSubmitter })
        {
            var report = Verify(TestBlocks.Proof(F.Network, TestBlocks.Build(F.Network, 15, [envelope]), 0));
            Assert.That(report.Result.Code, Is.EqualTo(ErrorCode.UntrustedCertificate), report.Result.ToString());
        }
    }

    [Test]
    public void A_party_certificate_expired_at_block_time_fails()
    {
        var shortLived = F.Network.City.Issue(new CertificateRequest("Short-lived Employer Co", Role.Employer, DivisionCode.Parse("440106000000"),
            F.Network.Employer.Key.PublicKey, TestNetwork.NotBefore, TestNetwork.DefaultBlockTime.AddDays(-1), TestNetwork.EmployerCreditCode));
        var employer = new TestIdentity(F.Network.Employer.Key, shortLived);
        var envelope = TestContracts.Envelope(F.Network, TestContracts.Register("GZ-FORGED-8"), F.Network.Integrator, employer, F.Worker);

        Assert.That(Verify(TestBlocks.Proof(F.Network, TestBlocks.Build(F.Network, 16, [envelope]), 0)).Result.Code, Is.EqualTo(ErrorCode.CertificateExpired));
    }

    [Test]
    public void Height_zero_is_never_evidence()
    {
        var block = TestBlocks.Build(F.Network, 0, [F.Envelopes[0]]);

        Assert.That(Verify(TestBlocks.Proof(F.Network, block, 0)).Result.Code, Is.EqualTo(ErrorCode.PreGenesisBlock));
    }

    [Test]
    public void A_block_timed_at_or_before_genesis_is_never_evidence()
    {
        var envelope = F.Envelopes[0];
        var receipts = new[] { Succeeded(envelope) };
        var atGenesis = TestBlocks.Build(F.Network, 3, [envelope], receipts, time: TestNetwork.NotBefore);
        var before = TestBlocks.Build(F.Network, 3, [envelope], receipts, time: TestNetwork.NotBefore.AddDays(-30));

        Assert.That(Verify(TestBlocks.Proof(F.Network, atGenesis, 0)).Result.Code, Is.EqualTo(ErrorCode.PreGenesisBlock));
        Assert.That(Verify(TestBlocks.Proof(F.Network, before, 0)).Result.Code, Is.EqualTo(ErrorCode.PreGenesisBlock));
    }

    [Test]
    public void A_genuine_seal_moved_onto_a_forged_block_does_not_verify()
    {
        // The real validators' seals are over the real block's hash; the forged block names the real set and reuses them.
        var forged = TestBlocks.Build(F.Network, F.Block.Header.Height, [NeverSubmitted(F.Network, "GZ-FORGED-9")], sealers: []);
        var withRealSeals = new Block { Header = forged.Header, Transactions = forged.Transactions, Receipts = forged.Receipts, Commit = forged.Commit! with { Seals = F.Block.Commit!.Seals } };

        Assert.That(Verify(TestBlocks.Proof(F.Network, withRealSeals, 0)).Result.Code, Is.EqualTo(ErrorCode.InvalidSeal));
    }
}
