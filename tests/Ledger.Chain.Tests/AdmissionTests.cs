using Ledger.Chain.Pool;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;
using Ledger.TestKit.Network;

namespace Ledger.Chain.Tests;

public class AdmissionTests
{
    private static readonly TestConsortium Consortium = new();
    private SoloChain _chain = null!;
    private int _contract;

    [SetUp]
    public void SetUp() => _chain = new SoloChain(Consortium);

    [TearDown]
    public void TearDown() => _chain.Dispose();

    private TxEnvelope Register(ulong? nonce = null, DateTimeOffset? expiresAt = null, string? chainId = null, TestParty? submitter = null)
    {
        var payload = Consortium.Register($"GZ-{TestContext.CurrentContext.Test.ID}-{_contract++}", Sm3.Hash([(byte)_contract]));
        return Consortium.Transaction(payload, submitter ?? Consortium.Employer, [submitter ?? Consortium.Employer], nonce, expiresAt, chainId);
    }

    private ErrorCode Refusal(TxEnvelope envelope) => Refusal(envelope.Encode());

    private ErrorCode Refusal(byte[] bytes)
    {
        var result = _chain.Chain.Submit(bytes);
        Assert.That(result.Accepted, Is.False, "the tx must be refused");
        return result.Result.Code;
    }

    [Test]
    public void Admits_a_well_formed_tx_and_reports_its_id()
    {
        var envelope = Register();
        var result = _chain.Submit(envelope);
        Assert.That(result.Result.IsValid, Is.True, result.Result.ToString());
        Assert.That(result.TxId, Is.EqualTo(envelope.ComputeId(Sm3Hasher.Instance)));
        Assert.That(_chain.Chain.Pool.Count, Is.EqualTo(1));
    }

    [Test]
    public void Rejects_tx_with_wrong_chain_id() => Assert.That(Refusal(Register(chainId: "another-chain")), Is.EqualTo(ErrorCode.WrongChainId));

    [Test]
    public void Rejects_an_expired_tx() => Assert.That(Refusal(Register(expiresAt: DateTimeOffset.UtcNow.AddSeconds(-1))), Is.EqualTo(ErrorCode.Expired));

    [Test]
    public void Rejects_an_expiry_beyond_the_maximum_time_to_live() =>
        Assert.That(Refusal(Register(expiresAt: DateTimeOffset.UtcNow.AddDays(3))), Is.EqualTo(ErrorCode.ExpiryTooFar));

    [Test]
    public void Rejects_the_same_tx_twice_in_the_pool()
    {
        var envelope = Register();
        Assert.That(_chain.Submit(envelope).Accepted, Is.True);
        Assert.That(Refusal(envelope), Is.EqualTo(ErrorCode.DuplicateTransaction));
    }

    [Test]
    public void Rejects_a_committed_tx_resubmitted()
    {
        var envelope = Register();
        _chain.Commit(envelope);
        Assert.That(_chain.Chain.Pool.Count, Is.Zero);
        Assert.That(Refusal(envelope), Is.EqualTo(ErrorCode.DuplicateTransaction));
    }

    [Test]
    public void Rejects_a_stale_nonce_against_committed_state_and_the_pool()
    {
        _chain.Commit(Register(nonce: 77));
        Assert.That(Refusal(Register(nonce: 77)), Is.EqualTo(ErrorCode.StaleNonce), "nonce spent in a committed block");
        Assert.That(_chain.Submit(Register(nonce: 78)).Accepted, Is.True);
        Assert.That(Refusal(Register(nonce: 78)), Is.EqualTo(ErrorCode.StaleNonce), "nonce held by a pooled tx");
    }

    [Test]
    public void Rejects_a_bad_signature_in_any_endorsement()
    {
        var envelope = Register();
        for (var i = 0; i < envelope.Endorsements.Count; i++)
        {
            var endorsements = envelope.Endorsements.ToArray();
            var signature = endorsements[i].Signature.ToArray();
            signature[^1] ^= 0x01;
            endorsements[i] = new Endorsement { Certificate = endorsements[i].Certificate, PublicKey = endorsements[i].PublicKey, Signature = signature, Scope = endorsements[i].Scope };
            var code = Refusal(new TxEnvelope { BodyBytes = envelope.BodyBytes, Endorsements = endorsements });
            var expected = endorsements[i].Scope == EndorsementScope.Statement
                ? new[] { ErrorCode.StatementMismatch, ErrorCode.InvalidSignatureEncoding }
                : new[] { ErrorCode.InvalidSignature, ErrorCode.InvalidSignatureEncoding };
            Assert.That(code, Is.AnyOf(expected), $"endorsement {i} ({endorsements[i].Scope})");
        }
    }

    [Test]
    public void Rejects_a_signature_over_another_body()
    {
        var envelope = Register();
        var other = Register();
        var endorsements = envelope.Endorsements.ToArray();
        endorsements[0] = other.Endorsements[0];
        Assert.That(Refusal(new TxEnvelope { BodyBytes = envelope.BodyBytes, Endorsements = endorsements }), Is.EqualTo(ErrorCode.InvalidSignature));
    }

    [Test]
    public void Rejects_a_tx_without_the_submitters_body_signature()
    {
        var envelope = Register();
        var statementOnly = envelope.Endorsements.Where(e => e.Scope == EndorsementScope.Statement).ToArray();
        // The body lists the submitter's signature: without it the envelope is not the tx the body describes.
        Assert.That(Refusal(new TxEnvelope { BodyBytes = envelope.BodyBytes, Endorsements = statementOnly }), Is.EqualTo(ErrorCode.EndorsementsNotListed));
    }

    [Test]
    public void A_copy_stripped_of_a_party_signature_is_refused_and_cannot_pre_empt_the_genuine_tx()
    {
        var genuine = Consortium.Transaction(Consortium.Register($"GZ-STRIP-{_contract++}", Sm3.Hash([7, (byte)_contract])), Consortium.Employer, [Consortium.Employer, Consortium.Worker]);
        for (var keep = 1; keep < genuine.Endorsements.Count; keep++)
        {
            var stripped = new TxEnvelope { BodyBytes = genuine.BodyBytes, Endorsements = genuine.Endorsements.Take(keep).ToArray() };
            Assert.That(Refusal(stripped), Is.EqualTo(ErrorCode.EndorsementsNotListed), $"kept {keep} of {genuine.Endorsements.Count}");
        }
        var result = _chain.Submit(genuine);
        Assert.That(result.Accepted, Is.True, "the genuine tx is still admitted: " + result.Result);
        var committed = _chain.Commit(Register());
        Assert.That(_chain.Chain.GetTransaction(result.TxId!.Value)!.Envelope.ToArray(), Is.EqualTo(genuine.Encode()), "the block carries the genuine envelope");
        Assert.That(committed, Is.Not.Null);
    }

    [Test]
    public void Rejects_endorsements_added_reordered_or_named_differently_from_the_body_list()
    {
        var genuine = Consortium.Transaction(Consortium.Register($"GZ-LIST-{_contract++}", Sm3.Hash([8, (byte)_contract])), Consortium.Employer, [Consortium.Employer, Consortium.Worker]);
        var e = genuine.Endorsements;
        var statement = ContractPayloadsStatement(genuine);
        var other = Consortium.OtherEmployer;
        var extra = new Endorsement { Certificate = other.Certificate!.Der, Signature = other.Key.Sign(statement), Scope = EndorsementScope.Statement };
        var employerAsBareKey = new Endorsement { PublicKey = Consortium.Employer.Key.PublicKey.ToBytes(), Signature = e[1].Signature, Scope = EndorsementScope.Statement };
        Endorsement[][] variants =
        [
            [.. e, extra],
            [e[0], e[2], e[1]],
            [e[0], employerAsBareKey, e[2]],
        ];
        foreach (var variant in variants)
            Assert.That(Refusal(new TxEnvelope { BodyBytes = genuine.BodyBytes, Endorsements = variant }), Is.EqualTo(ErrorCode.EndorsementsNotListed));
        Assert.That(_chain.Submit(genuine).Accepted, Is.True);
    }

    private static byte[] ContractPayloadsStatement(TxEnvelope envelope) =>
        Ledger.Core.Contracts.ContractPayloads.StatementFor(envelope.Body, Ledger.Core.Contracts.ContractPayloads.Decode(envelope.Body), Sm3Hasher.Instance).SigningMessage();

    [Test]
    public void Rejects_a_certificate_from_outside_the_consortium()
    {
        var foreignRoot = CertificateAuthority.CreateRoot("Elsewhere Root", DivisionCode.Parse("440000"), Sm2PrivateKey.Generate(), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var impostor = Consortium.Party(foreignRoot, "Impostor Co.", Role.Employer, DivisionCode.Parse("440000"), Consortium.EmployerCreditCode);
        Assert.That(Refusal(Register(submitter: impostor)), Is.EqualTo(ErrorCode.UntrustedCertificate));
    }

    [Test]
    public void Rejects_a_revoked_certificate()
    {
        var revoked = Consortium.Party(Consortium.GuangzhouCa, "Revoked Co.", Role.Employer, TestConsortium.Guangzhou, Consortium.EmployerCreditCode);
        var crl = Consortium.GuangzhouCa.IssueCrl([new RevokedCertificate(revoked.Certificate!.SerialNumberHex, DateTimeOffset.UtcNow.AddMinutes(-5))],
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7));
        using var chain = new SoloChain(Consortium, crls: crl);
        var result = chain.Submit(Register(submitter: revoked));
        Assert.That(result.Result.Code, Is.EqualTo(ErrorCode.CertificateRevoked));
        Assert.That(chain.Submit(Register()).Accepted, Is.True, "an unrevoked certificate of the same CA still works");
    }

    [Test]
    public void An_operator_certificate_acts_on_chain_in_no_capacity()
    {
        // The narrower Operator role enrols at the signer; on chain it is not a Bureau: no submission, no endorsement.
        var operatorParty = Consortium.Party(Consortium.GuangzhouCa, "Guangzhou bureau operator", Role.Operator, TestConsortium.Guangzhou);
        Assert.That(Refusal(Register(submitter: operatorParty)), Is.EqualTo(ErrorCode.OperatorNotOnChain));
        var payload = Consortium.Register($"GZ-operator-{_contract++}", Sm3.Hash([(byte)_contract]));
        Assert.That(Refusal(Consortium.Transaction(payload, Consortium.Employer, [Consortium.Employer, operatorParty])), Is.EqualTo(ErrorCode.OperatorNotOnChain));
        Assert.That(_chain.Submit(Register(submitter: Consortium.Bureau)).Accepted, Is.True, "the city's Bureau certificate submits the same tx");
    }

    [Test]
    public void Random_and_truncated_bytes_get_typed_errors_and_the_chain_keeps_serving()
    {
        var random = new RandomFormats(11);
        for (var i = 0; i < 500; i++)
            Assert.That(Refusal(random.Bytes(random.Random.Next(0, 600))), Is.Not.EqualTo(ErrorCode.Ok));
        // Every truncation, including the ones that end right after an endorsement: a shorter list than the body's is refused.
        var valid = Consortium.Transaction(Consortium.Register($"GZ-CUT-{_contract++}", Sm3.Hash([9, (byte)_contract])), Consortium.Employer, [Consortium.Employer, Consortium.Worker]).Encode();
        for (var cut = 0; cut < valid.Length; cut++)
            Assert.That(Refusal(valid[..cut]), Is.Not.EqualTo(ErrorCode.Ok), $"cut at {cut}");
        Assert.That(Refusal(new byte[EncodingLimits.MaxTxBytes + 1]), Is.EqualTo(ErrorCode.Oversize));
        Assert.That(_chain.Submit(Register()).Accepted, Is.True, "still admitting after the garbage");
        Assert.That(_chain.Chain.Metrics.Rejections.Values.Sum(), Is.GreaterThan(500));
    }

    [Test]
    public void A_full_pool_refuses_with_mempool_full_and_stays_bounded()
    {
        using var chain = new SoloChain(Consortium, new MempoolOptions { MaxTransactions = 5 });
        for (var i = 0; i < 5; i++) Assert.That(chain.Submit(Register()).Accepted, Is.True);
        for (var i = 0; i < 20; i++) Assert.That(chain.Submit(Register()).Result.Code, Is.EqualTo(ErrorCode.MempoolFull));
        Assert.That(chain.Chain.Pool.Count, Is.EqualTo(5));
        chain.Producer.ProduceBlock();
        Assert.That(chain.Chain.Pool.Count, Is.Zero);
        Assert.That(chain.Submit(Register()).Accepted, Is.True, "room again after a block");
    }

    [Test]
    public void A_pool_bounded_by_bytes_refuses_past_its_budget()
    {
        var size = Register().Encode().Length;
        using var chain = new SoloChain(Consortium, new MempoolOptions { MaxBytes = size * 3 + size / 2 });
        for (var i = 0; i < 3; i++) Assert.That(chain.Submit(Register()).Accepted, Is.True);
        Assert.That(chain.Submit(Register()).Result.Code, Is.EqualTo(ErrorCode.MempoolFull));
    }
}
