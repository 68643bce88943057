using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Signer.Intent;

namespace Ledger.Signer.Tests;

/// <summary>Enrol, challenge, confirm: what the holder confirms is exactly what gets signed, once.</summary>
public class IntentConfirmationTests
{
    private SignerTestBed _bed = null!;
    private SignerService _service = null!;

    [SetUp]
    public void SetUp()
    {
        _bed = new SignerTestBed();
        _service = _bed.Open();
    }

    [TearDown]
    public void TearDown()
    {
        _service.Dispose();
        _bed.Dispose();
    }

    private static ErrorCode CodeOf(Action action) => Refusals.Of(action).Code;

    [Test]
    public void Enrolment_issues_certificates_without_personal_data()
    {
        var worker = _bed.EnrolWorker(_service);
        var employer = _bed.EnrolEmployer(_service);
        Assert.That(worker.Certificate.Role, Is.EqualTo(Role.Worker));
        var pseudonym = WorkerPseudonym.Compute(SignerTestBed.PseudonymKey, SignerTestBed.WorkerIdNumber);
        Assert.That(worker.Certificate.WorkerPseudonym, Is.EqualTo(pseudonym), "a worker's certificate names the pseudonym of the ID number under the province key");
        Assert.That(worker.Certificate.CommonName, Does.Contain(pseudonym.ToHex()[..32]));
        Assert.That(worker.Certificate.Subject, Does.Not.Contain(SignerTestBed.WorkerIdNumber));
        Assert.That(Convert.ToHexString(worker.Certificate.Der), Does.Not.Contain(Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(SignerTestBed.WorkerIdNumber))));
        Assert.That(_bed.EnrolWorker(_service).Certificate.WorkerPseudonym, Is.EqualTo(pseudonym), "the same person enrolled again: the same pseudonym");
        Assert.That(worker.Certificate.CreditCode, Is.Null);
        Assert.That(employer.Certificate.Role, Is.EqualTo(Role.Employer));
        Assert.That(employer.Certificate.CreditCode?.Value, Is.EqualTo(SignerTestBed.EmployerCode));
        Assert.That(worker.Certificate.Division.Value, Does.StartWith("4401"));
        Assert.That(worker.Certificate.VerifyIssuedBy(_bed.CityCa.Certificate).IsValid, Is.True);
        Assert.That(worker.Id, Is.EqualTo(worker.Certificate.PublicKey.Id.ToHex()));
    }

    [Test]
    public void Enrolment_refuses_a_weak_pin_and_an_employer_without_a_valid_credit_code()
    {
        Assert.That(CodeOf(() => _bed.EnrolWorker(_service, "12345")), Is.EqualTo(ErrorCode.WeakPin));
        Assert.That(CodeOf(() => _bed.EnrolWorker(_service, "111111")), Is.EqualTo(ErrorCode.WeakPin));
        Assert.That(CodeOf(() => _bed.Enrol(_service, Keys.HolderKind.Organisation, SignerTestBed.Pin, null, "Co.", "91440101708300011X")), Is.EqualTo(ErrorCode.InvalidCreditCode));
    }

    [Test]
    public void The_custodial_signature_is_what_the_sdk_accepts_and_verifies_like_a_self_held_one()
    {
        var employer = _bed.EnrolEmployer(_service);
        var payload = new SignPayload { ContractId = "GZ-2026-000001", Version = 1, DocumentHash = Sm3.Hash("contract v1"u8) };
        var builder = new TransactionBuilder(SignerTestBed.ChainId, payload);
        var challenge = _service.RequestSignature(employer.Id, new PayloadToSign(SignerTestBed.ChainId, payload), "peer");
        Assert.That(challenge.SigningMessage, Is.EqualTo(builder.StatementSigningMessage.ToArray()), "the signer signs the SDK's statement bytes");
        var confirmation = _service.ConfirmSignature(employer.Id, challenge.Id, SignerTestBed.Pin, new PayloadToSign(SignerTestBed.ChainId, payload), "peer");

        // Custodial (employer, through the signer) and self-held (worker's own key and Worker certificate) in one tx: both pass the same check.
        using var workerKey = Sm2PrivateKey.Generate();
        var workerCertificate = _bed.CityCa.Issue(new CertificateRequest("worker", Role.Worker, _bed.CityCa.Certificate.Division, workerKey.PublicKey,
            _bed.Clock.GetUtcNow().AddDays(-1), _bed.Clock.GetUtcNow().AddYears(1), null, Sm3.Hash("someone"u8)));
        builder.AddStatementSignature(confirmation.Certificate, confirmation.Signature).SignStatement(workerCertificate, workerKey);
        var message = ContractPayloads.StatementFor(payload, SignerTestBed.ChainId, Sm3Hasher.Instance).SigningMessage();
        var endorsements = builder.StatementEndorsements;
        Assert.That(endorsements, Has.Count.EqualTo(2));
        Assert.That(employer.Certificate.PublicKey.Verify(message, endorsements[0].Signature.Span), Is.True);
        Assert.That(workerKey.PublicKey.Verify(message, endorsements[1].Signature.Span), Is.True);
        Assert.That(_service.Verify(builder.Statement, confirmation.Signature, employer.Certificate), Is.EqualTo((ValidationResult.Valid, true)));
        var other = builder.Statement with { Version = 2 };
        Assert.That(_service.Verify(other, confirmation.Signature, employer.Certificate).Result.Code, Is.EqualTo(ErrorCode.InvalidSignature), "over that statement only");
    }

    [Test]
    public void A_wrong_pin_is_refused_and_leaves_the_challenge_usable()
    {
        var worker = _bed.EnrolWorker(_service);
        var statement = SignerTestBed.Statement();
        var challenge = _service.RequestSignature(worker.Id, statement, "peer");
        Assert.That(CodeOf(() => _service.ConfirmSignature(worker.Id, challenge.Id, "271828", statement, "peer")), Is.EqualTo(ErrorCode.WrongPin));
        Assert.That(CodeOf(() => _service.ConfirmSignature(worker.Id, challenge.Id, "", statement, "peer")), Is.EqualTo(ErrorCode.WrongPin));
        var confirmation = _service.ConfirmSignature(worker.Id, challenge.Id, SignerTestBed.Pin, statement, "peer");
        Assert.That(worker.Certificate.PublicKey.Verify(statement.SigningMessage(), confirmation.Signature), Is.True);
    }

    [Test]
    public void A_replayed_challenge_is_refused()
    {
        var worker = _bed.EnrolWorker(_service);
        var statement = SignerTestBed.Statement();
        var challenge = _service.RequestSignature(worker.Id, statement, "peer");
        _service.ConfirmSignature(worker.Id, challenge.Id, SignerTestBed.Pin, statement, "peer");
        Assert.That(CodeOf(() => _service.ConfirmSignature(worker.Id, challenge.Id, SignerTestBed.Pin, statement, "peer")), Is.EqualTo(ErrorCode.ChallengeReused));
    }

    [Test]
    public void An_unknown_challenge_is_refused()
    {
        var worker = _bed.EnrolWorker(_service);
        Assert.That(CodeOf(() => _service.ConfirmSignature(worker.Id, new byte[16], SignerTestBed.Pin, SignerTestBed.Statement(), "peer")), Is.EqualTo(ErrorCode.ChallengeUnknown));
        Assert.That(CodeOf(() => _service.ConfirmSignature(worker.Id, [], SignerTestBed.Pin, SignerTestBed.Statement(), "peer")), Is.EqualTo(ErrorCode.ChallengeUnknown));
    }

    [Test]
    public void An_expired_challenge_is_refused()
    {
        var worker = _bed.EnrolWorker(_service);
        var statement = SignerTestBed.Statement();
        var challenge = _service.RequestSignature(worker.Id, statement, "peer");
        _bed.Clock.Advance(TimeSpan.FromSeconds(_bed.Config.ChallengeSeconds - 1));
        var fresh = _service.RequestSignature(worker.Id, statement, "peer");
        _bed.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(CodeOf(() => _service.ConfirmSignature(worker.Id, challenge.Id, SignerTestBed.Pin, statement, "peer")), Is.EqualTo(ErrorCode.ChallengeExpired));
        Assert.That(_service.ConfirmSignature(worker.Id, fresh.Id, SignerTestBed.Pin, statement, "peer").Signature, Is.Not.Empty, "one second before its expiry a challenge still works");
    }

    [Test]
    public void A_challenge_for_another_document_is_refused_and_consumed()
    {
        var worker = _bed.EnrolWorker(_service);
        var requested = SignerTestBed.Statement(document: "contract v1");
        var challenge = _service.RequestSignature(worker.Id, requested, "peer");
        var other = SignerTestBed.Statement(document: "contract v1 with a different salary");
        Assert.That(CodeOf(() => _service.ConfirmSignature(worker.Id, challenge.Id, SignerTestBed.Pin, other, "peer")), Is.EqualTo(ErrorCode.ChallengeMismatch));
        Assert.That(CodeOf(() => _service.ConfirmSignature(worker.Id, challenge.Id, SignerTestBed.Pin, requested, "peer")), Is.EqualTo(ErrorCode.ChallengeReused),
            "a mismatched attempt burns the challenge");
    }

    [Test]
    public void A_challenge_issued_to_another_holder_is_refused()
    {
        var worker = _bed.EnrolWorker(_service);
        var employer = _bed.EnrolEmployer(_service);
        var statement = SignerTestBed.Statement();
        var challenge = _service.RequestSignature(employer.Id, statement, "peer");
        Assert.That(CodeOf(() => _service.ConfirmSignature(worker.Id, challenge.Id, SignerTestBed.Pin, statement, "peer")), Is.EqualTo(ErrorCode.ChallengeMismatch));
    }

    [Test]
    public void A_statement_for_another_chain_gets_no_challenge()
    {
        var worker = _bed.EnrolWorker(_service);
        var statement = SignerTestBed.Statement() with { ChainId = "another-chain" };
        Assert.That(CodeOf(() => _service.RequestSignature(worker.Id, statement, "peer")), Is.EqualTo(ErrorCode.WrongChainId));
        Assert.That(CodeOf(() => _service.RequestSignature(new string('a', 64), SignerTestBed.Statement(), "peer")), Is.EqualTo(ErrorCode.HolderNotFound));
        Assert.That(CodeOf(() => _service.RequestSignature("../../etc/passwd", SignerTestBed.Statement(), "peer")), Is.EqualTo(ErrorCode.InvalidFieldValue));
    }
}
