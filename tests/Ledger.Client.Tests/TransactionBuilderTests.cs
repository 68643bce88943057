using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Client.Tests;

public class TransactionBuilderTests
{
    private static readonly Lazy<TestNetwork> SharedNetwork = new(() => TestNetwork.Create(4));
    private static TestNetwork Network => SharedNetwork.Value;
    private static TestIdentity Worker => Network.Worker;

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly DateTimeOffset Now = new(2024, 6, 1, 2, 0, 0, TimeSpan.Zero);

    private static TransactionBuilder Builder(IContractPayload? payload = null) =>
        new(Network.ChainId, payload ?? TestContracts.Register("GZ-TB-1"), new FixedClock(Now));

    [Test]
    public void The_body_names_chain_submitter_payload_and_expires_after_the_ttl()
    {
        var payload = TestContracts.Register("GZ-TB-2");

        var envelope = Builder(payload).WithTtl(TimeSpan.FromMinutes(3)).Build(Network.Integrator.Certificate, Network.Integrator.Key);

        var body = envelope.Body;
        Assert.That(body.ChainId, Is.EqualTo(Network.ChainId));
        Assert.That(body.Submitter, Is.EqualTo(Network.Integrator.Certificate.Id));
        Assert.That(body.ExpiresAt, Is.EqualTo(Now.AddMinutes(3).ToUnixTimeMilliseconds()));
        Assert.That(body.PayloadField, Is.EqualTo(ContractPayloads.RegisterField));
        Assert.That(ContractPayloads.Decode(body), Is.EqualTo(payload));
    }

    [Test]
    public void Each_build_draws_a_fresh_nonce_unless_one_is_fixed()
    {
        var nonces = Enumerable.Range(0, 8).Select(_ => Builder().Build(Network.Integrator.Certificate, Network.Integrator.Key).Body.Nonce).ToArray();
        var fixedNonce = Builder().WithNonce(42).Build(Network.Integrator.Certificate, Network.Integrator.Key).Body.Nonce;

        Assert.That(nonces, Is.Unique);
        Assert.That(fixedNonce, Is.EqualTo(42UL));
    }

    [Test]
    public void The_submitter_signs_the_body_bytes_and_the_parties_sign_the_statement()
    {
        var payload = TestContracts.Register("GZ-TB-3");

        var envelope = Builder(payload)
            .SignStatement(Network.Employer.Certificate, Network.Employer.Key)
            .SignStatement(Worker.Certificate, Worker.Key)
            .Build(Network.Integrator.Certificate, Network.Integrator.Key);

        var decoded = TxEnvelope.Decode(envelope.Encode());
        var statement = ContractPayloads.StatementFor(payload, Network.ChainId, Sm3Hasher.Instance).SigningMessage();
        var (submitter, employer, worker) = (decoded.Endorsements[0], decoded.Endorsements[1], decoded.Endorsements[2]);
        Assert.That(decoded.Endorsements, Has.Count.EqualTo(3));
        Assert.That(submitter.Scope, Is.EqualTo(EndorsementScope.Body));
        Assert.That(submitter.Certificate.ToArray(), Is.EqualTo(Network.Integrator.Certificate.Der));
        Assert.That(Network.Integrator.Key.PublicKey.Verify(decoded.BodyBytes.Span, submitter.Signature.Span), Is.True);
        Assert.That(employer.Scope, Is.EqualTo(EndorsementScope.Statement));
        Assert.That(Network.Employer.Key.PublicKey.Verify(statement, employer.Signature.Span), Is.True);
        Assert.That(worker.Scope, Is.EqualTo(EndorsementScope.Statement));
        Assert.That(worker.Certificate.ToArray(), Is.EqualTo(Worker.Certificate.Der));
        Assert.That(worker.PublicKey.IsEmpty, Is.True);
        Assert.That(Worker.Key.PublicKey.Verify(statement, worker.Signature.Span), Is.True);
    }

    [Test]
    public void A_statement_signature_made_elsewhere_is_attached_when_it_verifies()
    {
        var builder = Builder();
        var signature = Worker.Key.Sign(builder.StatementSigningMessage);

        builder.AddStatementSignature(Worker.Certificate, signature)
            .AddStatementSignature(Network.Employer.Certificate, Network.Employer.Key.Sign(builder.StatementSigningMessage));

        Assert.That(builder.StatementEndorsements.Select(e => e.Certificate.ToArray()), Is.EqualTo(new[] { Worker.Certificate.Der, Network.Employer.Certificate.Der }));
    }

    [Test]
    public void A_statement_signature_over_anything_else_is_refused_at_once()
    {
        var builder = Builder(TestContracts.Register("GZ-TB-4"));
        var otherStatement = ContractPayloads.StatementFor(TestContracts.Register("GZ-TB-5"), Network.ChainId, Sm3Hasher.Instance).SigningMessage();

        var e = Assert.Throws<LedgerException>(() => builder.AddStatementSignature(Worker.Certificate, Worker.Key.Sign(otherStatement)));

        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidSignature));
        Assert.That(builder.StatementEndorsements, Is.Empty);
    }

    [Test]
    public void A_key_that_is_not_the_certificates_is_refused()
    {
        var e = Assert.Throws<LedgerException>(() => Builder().Build(Network.Integrator.Certificate, Network.Employer.Key));

        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidPrivateKey));
    }

    [Test]
    public void A_built_tx_in_a_sealed_block_passes_the_offline_verifier()
    {
        var envelope = Builder(TestContracts.Register("GZ-TB-6"))
            .SignStatement(Network.Employer.Certificate, Network.Employer.Key)
            .SignStatement(Worker.Certificate, Worker.Key)
            .Build(Network.Employer.Certificate, Network.Employer.Key);
        var block = TestBlocks.Build(Network, 1, [envelope.Encode()]);

        var report = EvidenceVerifier.Verify(TestBlocks.Proof(Network, block, 0), Network.Genesis);

        Assert.That(report.Result, Is.EqualTo(ValidationResult.Valid));
        Assert.That(report.Signers, Has.Count.EqualTo(3));
    }
}
