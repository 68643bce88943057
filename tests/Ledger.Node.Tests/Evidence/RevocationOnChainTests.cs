using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chain.Revocation;
using Ledger.Chaincode;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Core.Revocation;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Storage;
using Ledger.TestKit.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Node.Tests.Evidence;

/// <summary>
/// CRLs published on chain (issue 12, "revocation and validity at signing time"): a real chain with its chaincode,
/// state tree and executor. A Bureau publishes the Guangzhou CA's CRL revoking the employer's certificate; what the
/// employer signed before stands, with a proof that shows the certificate unrevoked at that block; what it signs after is
/// refused on every node and its proof fails with CertificateRevoked. Every way to hide a revocation from a proof fails.
/// </summary>
public class RevocationOnChainTests
{
    private static readonly Lazy<Fixture> Shared = new(() => new Fixture());
    private static Fixture F => Shared.Value;
    internal static Fixture Revoked => Shared.Value;

    internal sealed class Fixture
    {
        private readonly SoloProducer _producer;
        private ulong _nonce = 1_000;

        public Fixture()
        {
            Consortium = new TestConsortium(validators: 1);
            var hasher = Sm3Hasher.Instance;
            var store = new BlockStore(new InMemoryKeyValueStore(), hasher);
            var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
            var trust = Consortium.ChainValidator();
            var admission = new TxAdmission(Consortium.ChainId, chaincode, new CertificateRegistry(trust, hasher), hasher, new StoreReplayIndex(store));
            Chain = new LedgerChain("test", Consortium.Genesis, Consortium.GenesisBytes, store, admission, new Mempool(), new Ledger.Chain.Governance.ValidatorSets(Consortium.Genesis, hasher), hasher, TimeProvider.System, new ChainMetrics());
            var validator = Consortium.Validators[0];
            _producer = new SoloProducer(Chain, new BlockExecutor(Consortium.ChainId, chaincode, hasher, new CrlPublication(trust.Authorities)),
                new BlockSealer(Consortium.ChainId, new NodeIdentity(validator.Name, validator.Certificate!, validator.Key)),
                new ProducerOptions(), TimeProvider.System, NullLogger<SoloProducer>.Instance);

            var document = Sm3.Hash("contract before the revocation"u8);
            Before = Commit(Consortium.Transaction(Consortium.Register("GZ-REVOKE-1", document), Consortium.Employer, [Consortium.Employer]));
            SignedBefore = Commit(Consortium.Transaction(new SignPayload { ContractId = "GZ-REVOKE-1", Version = 1, DocumentHash = document },
                Consortium.Employer, [Consortium.Employer, Consortium.WorkerOf("GZ-REVOKE-1")]));
            var crl = Consortium.GuangzhouCa.IssueCrl([RevokedCertificate.Of(Consortium.Employer.Certificate!, DateTimeOffset.UtcNow.AddDays(-3))],
                DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddDays(7));
            Publication = Commit(PublishCrl(crl.Der));
            After = Commit(Consortium.Transaction(Consortium.Register("GZ-REVOKE-2", Sm3.Hash("contract after the revocation"u8)), Consortium.Employer, [Consortium.Employer]));
            Verifier = new EvidenceVerifier(Consortium.Genesis);
        }

        public TestConsortium Consortium { get; }
        public LedgerChain Chain { get; }
        public Hash32 Before { get; }
        public Hash32 SignedBefore { get; }
        public Hash32 Publication { get; }
        public Hash32 After { get; }
        public EvidenceVerifier Verifier { get; }

        public TxEnvelope PublishCrl(byte[] crl, TestParty? submitter = null, string? chainId = null)
        {
            var by = submitter ?? Consortium.Bureau;
            var body = new PublishCrlPayload { Crl = crl }.CreateBody(chainId ?? Consortium.ChainId, _nonce++, DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds(), by.Certificate!.Id);
            var bytes = body.Encode();
            return new TxEnvelope { BodyBytes = bytes, Endorsements = [new Endorsement { Certificate = by.Certificate.Der, Signature = by.Key.Sign(bytes), Scope = EndorsementScope.Body }] };
        }

        /// <summary>Submits, produces a block, and returns the tx id (whatever the chaincode's verdict).</summary>
        public Hash32 Commit(TxEnvelope envelope)
        {
            var submitted = Chain.Submit(envelope.Encode());
            Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
            Assert.That(_producer.ProduceBlock(), Is.Not.Null);
            return submitted.TxId!.Value;
        }

        public Receipt ReceiptOf(Hash32 txId) => Chain.GetTransaction(txId)!.Receipt;
    }

    [Test]
    public void A_bureau_publishes_a_CRL_and_the_chain_records_the_revocation_where_it_learned_of_it()
    {
        Assert.That(F.ReceiptOf(F.Publication).Code, Is.EqualTo(ErrorCode.Ok), F.ReceiptOf(F.Publication).Message);
        var publishedAt = F.Chain.GetTransaction(F.Publication)!;
        var key = RevocationKeys.Revoked(F.Consortium.GuangzhouCa.Certificate.Id, F.Consortium.Employer.Certificate!.SerialNumberBytes);
        var status = F.Chain.GetEvidence(F.After)!.Revocations.Single(r => r.Record is not null);
        Assert.That(status.Key, Is.EqualTo(Convert.ToHexStringLower(key)));
        var record = RevocationRecord.Decode(Convert.FromBase64String(status.Record!));
        Assert.That(record.Height, Is.EqualTo(publishedAt.Height));
        Assert.That(record.TxId, Is.EqualTo(F.Publication));
        Assert.That(record.RevokedAt, Is.LessThan(DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeMilliseconds()), "the CA's own date is kept");
    }

    [Test]
    public void A_tx_endorsed_by_the_revoked_certificate_after_publication_is_refused_by_the_executor()
    {
        var receipt = F.ReceiptOf(F.After);
        Assert.That(receipt.Code, Is.EqualTo(ErrorCode.CertificateRevoked), receipt.Message);
        Assert.That(F.Chain.GetContract("GZ-REVOKE-2"), Is.Null, "nothing was recorded for it");
    }

    [Test]
    public void What_was_signed_before_the_revocation_still_verifies_and_shows_the_status_at_its_block()
    {
        // The register tx relies on the employer's certificate and the Guangzhou CA above it; the sign tx also on the
        // worker's Worker certificate from the same CA.
        foreach (var (txId, relied) in new[] { (F.Before, 2), (F.SignedBefore, 3) })
        {
            var proof = EvidenceProof.FromJson(F.Chain.GetEvidence(txId)!.ToJson());
            Assert.That(F.ReceiptOf(txId).Code, Is.EqualTo(ErrorCode.Ok), F.ReceiptOf(txId).Message);
            Assert.That(proof.Revocations, Has.Count.EqualTo(relied), "each certificate the tx relies on, and the CA above them once");
            Assert.That(proof.Revocations.All(r => r.Record is null), Is.True);
            var report = F.Verifier.Verify(proof);
            Assert.That(report.Result.IsValid, Is.True, report.Result.ToString());
            Assert.That(report.LaterRevocations, Is.Empty, "recorded in a later block: not part of this block's state");
        }
    }

    [Test]
    public void The_proof_of_a_tx_after_the_revocation_fails_with_CertificateRevoked()
    {
        var report = F.Verifier.Verify(F.Chain.GetEvidence(F.After)!);
        Assert.That(report.Result.Code, Is.EqualTo(ErrorCode.CertificateRevoked), report.Result.ToString());
        Assert.That(report.Result.Reason, Does.Contain("revoked on chain at height"));
    }

    [Test]
    public void Hiding_the_revocation_from_a_proof_fails()
    {
        var proof = F.Chain.GetEvidence(F.After)!;
        var revoked = proof.Revocations.Single(r => r.Record is not null);
        var others = proof.Revocations.Where(r => r.Record is null).ToArray();
        Assert.That(F.Verifier.Verify(proof with { Revocations = others }).Result.Code, Is.EqualTo(ErrorCode.RevocationStatusMissing), "dropped");
        Assert.That(F.Verifier.Verify(proof with { Revocations = [] }).Result.Code, Is.EqualTo(ErrorCode.RevocationStatusMissing), "all dropped");
        Assert.That(F.Verifier.Verify(proof with { Revocations = proof.Revocations.Reverse().ToArray() }).Result.Code, Is.EqualTo(ErrorCode.RevocationStatusMissing), "reordered");
        var absent = proof.Revocations.Select(r => r.Record is null ? r : r with { Record = null }).ToArray();
        Assert.That(F.Verifier.Verify(proof with { Revocations = absent }).Result.Code, Is.EqualTo(ErrorCode.InvalidStateProof), "claimed absent");
        var before = F.Chain.GetEvidence(F.Before)!;
        var borrowed = proof.Revocations.Select(r => r.Record is null ? r : before.Revocations.Single(b => b.Key == r.Key)).ToArray();
        Assert.That(F.Verifier.Verify(proof with { Revocations = borrowed }).Result.Code, Is.EqualTo(ErrorCode.InvalidStateProof), "an older block's absence");
        Assert.That(F.Verifier.Verify(proof with { Revocations = [.. proof.Revocations, revoked] }).Result.Code, Is.EqualTo(ErrorCode.RevocationStatusMissing), "one extra");
    }

    [Test]
    public void A_version_1_proof_without_revocation_status_is_refused()
    {
        var json = F.Chain.GetEvidence(F.Before)!.ToJson();
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var members = document.RootElement.EnumerateObject().Where(p => p.Name != "revocations")
            .Select(p => p.Name == "version" ? "\"version\": 1" : $"\"{p.Name}\": {p.Value.GetRawText()}");
        var v1 = "{" + string.Join(",", members) + "}";
        var e = Assert.Throws<LedgerException>(() => EvidenceProof.FromJson(v1));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidProof));
    }

    [Test]
    public void Only_a_bureau_may_publish_only_a_genesis_CA_s_CRL_and_only_a_newer_one()
    {
        var consortium = F.Consortium;
        var fresh = consortium.GuangzhouCa.IssueCrl([], DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(7));
        Assert.That(F.ReceiptOf(F.Commit(F.PublishCrl(fresh.Der, consortium.Integrator))).Code, Is.EqualTo(ErrorCode.CrlRoleNotAllowed));

        var foreign = new TestConsortium(validators: 1);
        var foreignCrl = foreign.GuangzhouCa.IssueCrl([], DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(7));
        Assert.That(F.ReceiptOf(F.Commit(F.PublishCrl(foreignCrl.Der))).Code, Is.EqualTo(ErrorCode.CrlIssuerUnknown), "same names, another consortium's CA");

        var older = consortium.GuangzhouCa.IssueCrl([], DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7));
        Assert.That(F.ReceiptOf(F.Commit(F.PublishCrl(older.Der))).Code, Is.EqualTo(ErrorCode.CrlNotNewer));

        var future = consortium.GuangzhouCa.IssueCrl([], DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddDays(7));
        Assert.That(F.ReceiptOf(F.Commit(F.PublishCrl(future.Der))).Code, Is.EqualTo(ErrorCode.InvalidCrl), "dated after its block");

        var garbage = F.Chain.Submit(F.PublishCrl([0x30, 0x03, 0x02, 0x01, 0x01]).Encode());
        Assert.That(garbage.Result.Code, Is.EqualTo(ErrorCode.InvalidCrl), "not a CRL: refused at admission, never in a block");
    }

    [Test]
    public void Revoking_a_city_CA_refuses_every_certificate_under_it_and_leaves_other_cities_alone()
    {
        var chain = new Fixture();
        var consortium = chain.Consortium;
        var rootCrl = consortium.Root.IssueCrl([RevokedCertificate.Of(consortium.GuangzhouCa.Certificate, DateTimeOffset.UtcNow.AddMinutes(-1))],
            DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(7));
        Assert.That(chain.ReceiptOf(chain.Commit(chain.PublishCrl(rootCrl.Der))).Code, Is.EqualTo(ErrorCode.Ok));

        var guangzhou = chain.Commit(consortium.Transaction(consortium.Register("GZ-REVOKE-3", Sm3.Hash("x"u8)), consortium.Integrator, [consortium.Employer]));
        Assert.That(chain.ReceiptOf(guangzhou).Code, Is.EqualTo(ErrorCode.CertificateRevoked));
        var report = chain.Verifier.Verify(chain.Chain.GetEvidence(guangzhou)!);
        Assert.That(report.Result.Code, Is.EqualTo(ErrorCode.CertificateRevoked));
        Assert.That(report.Result.Reason, Does.Contain("Guangzhou HRSS CA"));

        var shenzhen = chain.Commit(consortium.Transaction(consortium.Register("SZ-REVOKE-1", Sm3.Hash("y"u8)) with
            { EmployerCreditCode = consortium.OtherEmployer.Certificate!.CreditCode!.Value.Value }, consortium.OtherEmployer, [consortium.OtherEmployer]));
        Assert.That(chain.ReceiptOf(shenzhen).Code, Is.Not.EqualTo(ErrorCode.CertificateRevoked));
        Assert.That(chain.Verifier.Verify(chain.Chain.GetEvidence(shenzhen)!).Result.Code, Is.Not.EqualTo(ErrorCode.CertificateRevoked));
    }
}
