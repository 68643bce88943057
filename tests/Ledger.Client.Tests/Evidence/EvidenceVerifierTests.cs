using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Client.Tests.Evidence;

public class EvidenceVerifierTests
{
    private static ProofFixture F => ProofFixture.Instance;

    private static EvidenceReport Verify(EvidenceProof proof, Stream? file = null) => EvidenceVerifier.Verify(proof, F.Network.Genesis, file);

    [Test]
    public void Accepts_a_valid_proof_and_reports_what_it_establishes()
    {
        var report = Verify(F.Proof);

        Assert.That(report.Result, Is.EqualTo(ValidationResult.Valid), report.Result.ToString());
        Assert.That(report.ChainId, Is.EqualTo(TestNetwork.DefaultChainId));
        Assert.That(report.TxId, Is.EqualTo(F.ProvenTxId));
        Assert.That(report.Height, Is.EqualTo(7UL));
        Assert.That(report.BlockTime, Is.EqualTo(TestNetwork.DefaultBlockTime));
        Assert.That(report.ContractId, Is.EqualTo("GZ-2024-0003"));
        Assert.That(report.Action, Is.EqualTo(ContractAction.Register));
        Assert.That(report.Version, Is.EqualTo(1u));
        Assert.That(report.DocumentHash, Is.EqualTo(Sm3.Hash(F.DocumentBytes)));
        Assert.That(report.ReceiptCode, Is.EqualTo(ErrorCode.Ok));
        Assert.That(report.FileMatches, Is.False);
        Assert.That(report.ValidatorCount, Is.EqualTo(4));
        Assert.That(report.SealedBy.Select(v => v.CertificateId), Is.EqualTo(F.Network.Validators.Take(3).Select(v => v.Certificate.Id)));
        Assert.That(report.Signers.Select(s => (s.Scope, s.Role)), Is.EqualTo(new[]
        {
            (EndorsementScope.Body, Role.Integrator), (EndorsementScope.Statement, Role.Employer), (EndorsementScope.Statement, Role.Worker),
        }));
        Assert.That(report.Signers[1].Subject, Does.Contain("Guangzhou Example Technology Co"));
        Assert.That(report.Signers[1].CreditCode, Is.EqualTo(TestNetwork.EmployerCreditCode.Value));
        Assert.That(report.Signers[2].KeyId, Is.EqualTo(F.Worker.Key.PublicKey.Id));
    }

    [Test]
    public void States_the_proposer_based_time_bound_from_genesis_not_from_the_proof()
    {
        var report = Verify(F.Proof);
        Assert.That(report.AttestedTime, Is.EqualTo(new AttestedTime(TestNetwork.DefaultBlockTime, 3, 4, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5))));
        Assert.That(report.AttestedTime!.Bound, Is.EqualTo(TimeSpan.FromMilliseconds(5500)));

        var wider = F.Network.Genesis with { Consensus = F.Network.Genesis.Consensus with { TimestampPrecisionMs = 1000, MessageDelayMs = 9000 } };
        var widerReport = EvidenceVerifier.Verify(F.Proof, wider);
        Assert.That(widerReport.AttestedTime!.Bound, Is.EqualTo(TimeSpan.FromSeconds(10)), "the window is genesis's");
        Assert.That(widerReport.AttestedTime.ToString(), Does.Contain("accepted by at least 3 of 4 validators whose clocks were within ±10 s of it"));
    }

    [Test]
    public void A_failed_proof_states_no_time_bound() =>
        Assert.That(EvidenceVerifier.Verify(F.Proof with { ChainId = "another" }, F.Network.Genesis).AttestedTime, Is.Null);

    [Test]
    public void Accepts_the_anchored_file()
    {
        var report = Verify(F.Proof, new MemoryStream(F.DocumentBytes));

        Assert.That(report.IsValid, Is.True, report.Result.ToString());
        Assert.That(report.FileMatches, Is.True);
    }

    [Test]
    public void Rejects_a_file_one_byte_different()
    {
        var altered = (byte[])F.DocumentBytes.Clone();
        altered[^1] ^= 0x01;

        Assert.That(Verify(F.Proof, new MemoryStream(altered)).Result.Code, Is.EqualTo(ErrorCode.DocumentHashMismatch));
    }

    [Test]
    public void Rejects_two_seals_of_four()
    {
        var seals = F.Block.Commit!.Seals.Take(2).ToArray();

        Assert.That(Verify(F.WithSeals(seals)).Result.Code, Is.EqualTo(ErrorCode.InsufficientSeals));
    }

    [Test]
    public void Rejects_a_duplicated_seal_even_when_it_would_make_a_quorum()
    {
        var seals = F.Block.Commit!.Seals;

        Assert.That(Verify(F.WithSeals([seals[0], seals[1], seals[1]])).Result.Code, Is.EqualTo(ErrorCode.DuplicateSeal));
    }

    [Test]
    public void Rejects_a_seal_by_a_validator_of_another_network()
    {
        var other = TestNetwork.Create(4);
        var foreign = other.Seal(F.Block.Header.Height, F.Block.Commit!.Round, F.Block.Commit.BlockHash, [0]);
        var seals = F.Block.Commit.Seals.Take(2).Concat(foreign).ToArray();

        Assert.That(Verify(F.WithSeals(seals)).Result.Code, Is.EqualTo(ErrorCode.UnknownValidator));
    }

    [Test]
    public void Rejects_a_seal_over_another_height()
    {
        var commit = F.Block.Commit!;
        var wrong = F.Network.Seal(commit.Height + 1, commit.Round, commit.BlockHash, [2]);

        var report = Verify(F.WithSeals([commit.Seals[0], commit.Seals[1], wrong[0]]));

        Assert.That(report.Result.Code, Is.EqualTo(ErrorCode.InvalidSeal));
    }

    [Test]
    public void Rejects_a_foreign_validator_certificate_added_to_the_proof()
    {
        var other = TestNetwork.Create(4);
        var proof = F.Proof with { Validators = [.. F.Proof.Validators, other.Validators[0].Certificate.ToPem()] };

        Assert.That(Verify(proof).Result.Code, Is.EqualTo(ErrorCode.UnknownValidator));
    }

    [Test]
    public void Rejects_a_block_sealed_by_validators_not_chaining_to_the_genesis_root()
    {
        // Same chain id, same shape, another root: everything verifies except the trust anchor.
        var rogue = TestNetwork.Create(4);
        var envelope = TestContracts.Envelope(rogue, TestContracts.Register("GZ-ROGUE-1"), rogue.Integrator, rogue.Employer, rogue.Worker);
        var proof = TestBlocks.Proof(rogue, TestBlocks.Build(rogue, 3, [envelope]), 0);

        Assert.That(EvidenceVerifier.Verify(proof, rogue.Genesis).IsValid, Is.True, "control: valid under its own genesis");
        Assert.That(Verify(proof).Result.Code, Is.EqualTo(ErrorCode.UnknownValidatorSet));
    }

    [Test]
    public void Rejects_the_proof_under_a_wrong_genesis()
    {
        var sameChainOtherRoot = TestNetwork.Create(1).Genesis;
        var otherChain = F.Network.Genesis with { ChainId = "gd-labour-other" };

        Assert.That(EvidenceVerifier.Verify(F.Proof, sameChainOtherRoot).Result.Code, Is.EqualTo(ErrorCode.UnknownValidatorSet));
        Assert.That(EvidenceVerifier.Verify(F.Proof, otherChain).Result.Code, Is.EqualTo(ErrorCode.WrongChainId));
    }

    [Test]
    public void Rejects_a_proof_listing_a_bureau_in_place_of_a_validator()
    {
        var bureau = F.Network.Issue("bureau posing as validator", Role.Bureau);
        var proof = F.Proof with { Validators = [.. F.Proof.Validators.Take(3), bureau.Certificate.ToPem()] };

        Assert.That(Verify(proof).Result.Code, Is.EqualTo(ErrorCode.UnknownValidator));
    }

    [Test]
    public void Rejects_every_proof_under_a_genesis_whose_validator_lacks_the_validator_role()
    {
        var bureau = F.Network.Issue("bureau in the validator set", Role.Bureau);
        var genesis = F.Network.Genesis with { Validators = [.. F.Network.Genesis.Validators.Take(3), new Core.Genesis.GenesisValidator("bureau", "440106000000", bureau.Certificate.ToPem())] };
        var network = F.Network.WithValidators([.. F.Network.Validators.Take(3), bureau]);
        var proof = TestBlocks.Proof(network, TestBlocks.Build(network, 5, [F.Envelopes[0]]), 0);

        Assert.That(EvidenceVerifier.Verify(proof, genesis).Result.Code, Is.EqualTo(ErrorCode.WrongCertificateRole));
    }

    [Test]
    public void Rejects_a_proof_naming_fewer_validators_than_the_header_commits_to()
    {
        var proof = F.Proof with { Validators = F.Proof.Validators.Take(3).ToArray() };

        Assert.That(Verify(proof).Result.Code, Is.EqualTo(ErrorCode.UnknownValidator));
    }

    [Test]
    public void Rejects_a_block_whose_time_is_outside_the_validators_certificates()
    {
        var envelope = F.Envelopes[0];
        var late = TestBlocks.Build(F.Network, 9, [envelope], [new Receipt { TxId = Sm3.Hash(TxEnvelope.Decode(envelope).BodyBytes.Span) }],
            time: TestNetwork.NotAfter.AddDays(1));

        Assert.That(Verify(TestBlocks.Proof(F.Network, late, 0)).Result.Code, Is.EqualTo(ErrorCode.CertificateExpired));
    }

    /// <summary>
    /// One validator's certificate lapsed before the block (its renewal not yet in force): its seal does not count, the
    /// others' still do — a quorum of the whole set without it proves the block; a quorum that needs it does not.
    /// </summary>
    [TestCase(new[] { 0, 1, 2 }, ErrorCode.Ok, 3)]
    [TestCase(new[] { 0, 1, 2, 3 }, ErrorCode.Ok, 3)]
    [TestCase(new[] { 0, 1, 3 }, ErrorCode.CertificateExpired, 0)]
    public void Counts_only_seals_by_certificates_valid_at_the_block_time(int[] sealers, ErrorCode expected, int counted)
    {
        var key = Crypto.Sm2PrivateKey.Generate();
        var lapsedCertificate = F.Network.City.Issue(new Crypto.Certificates.CertificateRequest("lapsed validator", Role.Validator, Core.Identity.DivisionCode.Parse("440106000000"),
            key.PublicKey, TestNetwork.NotBefore, TestNetwork.DefaultBlockTime.AddDays(-30)));
        var lapsed = new TestIdentity(key, lapsedCertificate);
        var network = F.Network.WithValidators([.. F.Network.Validators.Take(3), lapsed]);
        var genesis = F.Network.Genesis with
        {
            Validators = [.. F.Network.Genesis.Validators.Take(3), new Core.Genesis.GenesisValidator("lapsed", "440106000000", lapsedCertificate.ToPem())],
        };
        var proof = TestBlocks.Proof(network, TestBlocks.Build(network, 5, [F.Envelopes[0]], sealers), 0);

        var report = EvidenceVerifier.Verify(proof, genesis);
        Assert.That(report.Result.Code, Is.EqualTo(expected), report.Result.ToString());
        if (expected == ErrorCode.Ok)
        {
            Assert.That(report.SealedBy, Has.Count.EqualTo(counted));
            Assert.That(report.SealedBy.Select(v => v.CertificateId), Does.Not.Contain(lapsedCertificate.Id), "a lapsed certificate's seal is never shown as counted");
        }
        else
        {
            Assert.That(report.Result.Reason, Does.Contain("2 of the 3 seals are by certificates valid at the block's time").And.Contain("lapsed validator"));
        }
    }

    [Test]
    public void Rejects_a_sealed_block_carrying_a_tx_with_a_bad_party_signature()
    {
        // The block is genuine; the tx in it carries a worker signature over another statement.
        var payload = TestContracts.Register("GZ-BADSIG-1");
        var good = TxEnvelope.Decode(TestContracts.Envelope(F.Network, payload, F.Network.Integrator, F.Network.Employer, F.Worker));
        var otherStatement = ContractPayloads.StatementFor(TestContracts.Register("GZ-BADSIG-2"), F.Network.ChainId, Sm3Hasher.Instance).SigningMessage();
        var forged = new TxEnvelope
        {
            BodyBytes = good.BodyBytes,
            Endorsements = [good.Endorsements[0], good.Endorsements[1], new Endorsement { Certificate = F.Worker.Certificate.Der, Signature = F.Worker.Key.Sign(otherStatement), Scope = EndorsementScope.Statement }],
        };
        var block = TestBlocks.Build(F.Network, 10, [forged.Encode()]);

        Assert.That(Verify(TestBlocks.Proof(F.Network, block, 0)).Result.Code, Is.EqualTo(ErrorCode.StatementMismatch));
    }

    [Test]
    public void Rejects_a_tx_without_the_submitters_body_signature()
    {
        var good = TxEnvelope.Decode(F.Envelopes[0]);
        var unsigned = new TxEnvelope { BodyBytes = good.BodyBytes, Endorsements = good.Endorsements.Skip(1).ToArray() };
        var block = TestBlocks.Build(F.Network, 11, [unsigned.Encode()]);

        // The body lists the submitter's signature, so an envelope without it is not the tx the body describes.
        Assert.That(Verify(TestBlocks.Proof(F.Network, block, 0)).Result.Code, Is.EqualTo(ErrorCode.EndorsementsNotListed));
    }

    [Test]
    public void Rejects_a_sealed_block_carrying_a_tx_stripped_of_a_party_signature()
    {
        var good = TxEnvelope.Decode(TestContracts.Envelope(F.Network, TestContracts.Register("GZ-STRIPPED-1"), F.Network.Integrator, F.Network.Employer, F.Worker));
        var stripped = new TxEnvelope { BodyBytes = good.BodyBytes, Endorsements = good.Endorsements.Take(2).ToArray() };
        var block = TestBlocks.Build(F.Network, 13, [stripped.Encode()]);

        Assert.That(Verify(TestBlocks.Proof(F.Network, block, 0)).Result.Code, Is.EqualTo(ErrorCode.EndorsementsNotListed));
    }

    [Test]
    public void Records_a_refused_tx_with_its_receipt_code()
    {
        var envelope = F.Envelopes[1];
        var txId = Sm3.Hash(TxEnvelope.Decode(envelope).BodyBytes.Span);
        var block = TestBlocks.Build(F.Network, 12, [envelope], [new Receipt { TxId = txId, Code = ErrorCode.ContractAlreadyExists, Message = "exists" }]);

        var report = Verify(TestBlocks.Proof(F.Network, block, 0));

        Assert.That(report.IsValid, Is.True, report.Result.ToString());
        Assert.That(report.ReceiptCode, Is.EqualTo(ErrorCode.ContractAlreadyExists));
    }

    [Test]
    public void Verifies_many_seals_in_parallel_and_still_catches_one_bad_seal()
    {
        var big = TestNetwork.Create(12);
        var envelope = TestContracts.Envelope(big, TestContracts.Register("GZ-BIG-1"), big.Integrator, big.Employer, big.Worker);
        var block = TestBlocks.Build(big, 5, [envelope], sealers: Enumerable.Range(0, 12));
        var proof = TestBlocks.Proof(big, block, 0);
        var commit = block.Commit!;
        var badSeal = big.Seal(commit.Height, commit.Round + 1, commit.BlockHash, [11])[0];
        var tampered = proof with { Commit = Convert.ToBase64String((commit with { Seals = [.. commit.Seals.Take(11), badSeal] }).Encode()) };

        Assert.That(EvidenceVerifier.Verify(proof, big.Genesis).IsValid, Is.True);
        Assert.That(EvidenceVerifier.Verify(tampered, big.Genesis).Result.Code, Is.EqualTo(ErrorCode.InvalidSeal));
    }

    [Test]
    public void A_malformed_genesis_root_is_a_typed_failure()
    {
        var genesis = F.Network.Genesis with { RootCertificate = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" };

        Assert.That(() => new EvidenceVerifier(genesis), Throws.InstanceOf<LedgerException>());
        Assert.That(EvidenceVerifier.Verify(F.Proof, genesis).IsValid, Is.False);
    }
}
