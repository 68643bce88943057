using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Governance;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Tests;

/// <summary>
/// Paper uploads need the worker or a bureau (issue 11, protocol version 4): an employer's upload alone is anchored but
/// not in force until the named worker confirms it with their own Worker certificate or a bureau attests it with an
/// archive reference, and the evidence grade says which. Every transition, and every refusal.
/// </summary>
public class PaperConfirmationTests
{
    private const string Id = "GZ-2024-000001";
    private const string Reference = "GZ-ARCHIVE-2024-0077";

    private static TestChain Pending(ContractTerms? terms = null, string id = Id)
    {
        var chain = new TestChain();
        var result = chain.Submit(Make.Paper(id, terms), Parties.EmployerA);
        TestChain.Expect(result);
        Assert.That(result.Warnings, Does.Contain(ErrorCode.AwaitingConfirmation));
        return chain;
    }

    [Test]
    public void An_employer_upload_alone_is_anchored_but_not_in_force_and_the_receipt_says_so()
    {
        var chain = new TestChain();
        var result = chain.Submit(Make.Paper(Id, Make.Terms(probationEnd: "2024-08-31")), Parties.EmployerA);
        Assert.That((result.Code, result.Warnings), Is.EqualTo((ErrorCode.Ok, new[] { ErrorCode.AwaitingConfirmation })));
        var record = chain.Contract(Id);
        Assert.That((record.Status, record.EffectiveVersion, record.EvidenceGrade), Is.EqualTo((ContractStatus.PendingConfirmation, 0u, EvidenceGrade.PaperScan)));
        Assert.That(record.InForce, Is.Null);
        Assert.That(record.WorkerKeyId, Is.Null);
        var pair = Ledger.Chaincode.State.ContractStore.GetPair(chain.State, Parties.CodeA.Value, Parties.CommitmentA);
        Assert.That((pair.ConsecutiveFixedTerms, pair.ProbationAgreed), Is.EqualTo((0, false)), "not a concluded contract for arts. 14 and 19 yet");
    }

    [Test]
    public void An_upload_the_named_worker_signs_too_is_in_force_at_once_worker_confirmed()
    {
        var chain = new TestChain();
        var result = chain.Submit(Make.Paper(Id), Parties.EmployerA, Parties.Worker1);
        Assert.That((result.Code, result.Warnings), Is.EqualTo((ErrorCode.Ok, Array.Empty<ErrorCode>())));
        var record = chain.Contract(Id);
        Assert.That((record.Status, record.EffectiveVersion, record.EvidenceGrade), Is.EqualTo((ContractStatus.Effective, 1u, EvidenceGrade.PaperScanWorkerConfirmed)));
        Assert.That((record.WorkerKeyId, record.Latest.WorkerSigned), Is.EqualTo((Parties.Worker1.KeyId, true)));
    }

    [Test]
    public void A_bureau_upload_with_its_archive_reference_is_in_force_at_once_bureau_attested()
    {
        var chain = new TestChain();
        TestChain.Expect(chain.Submit(Make.Paper(Id) with { AttestationReference = Reference }, Parties.GuangzhouBureau));
        var record = chain.Contract(Id);
        Assert.That((record.Status, record.EvidenceGrade, record.AttestationReference), Is.EqualTo((ContractStatus.Effective, EvidenceGrade.PaperScanBureauAttested, Reference)));
    }

    [TestCase(null)]
    [TestCase("  ")]
    public void A_bureau_upload_without_an_archive_reference_is_refused(string? reference)
    {
        var chain = new TestChain();
        var result = chain.Submit(Make.Paper(Id) with { AttestationReference = reference }, Parties.GuangzhouBureau);
        Assert.That(result.Code, Is.EqualTo(ErrorCode.AttestationReferenceRequired), result.Message);
        Assert.That(chain.Find(Id), Is.Null);
    }

    [Test]
    public void An_upload_signed_by_another_worker_is_refused_WrongWorker()
    {
        var chain = new TestChain();
        Assert.That(chain.Submit(Make.Paper(Id), Parties.EmployerA, Parties.Worker2).Code, Is.EqualTo(ErrorCode.WrongWorker));
        Assert.That(chain.Find(Id), Is.Null);
    }

    [Test]
    public void The_worker_confirms_with_their_own_certificate_and_the_contract_comes_into_force()
    {
        var chain = Pending();
        var worker = Parties.CertifiedWorker(Parties.Worker1);
        var result = chain.Submit(Make.Confirm(Id), worker, worker);
        Assert.That(result.Code, Is.EqualTo(ErrorCode.Ok), result.Message);
        var record = chain.Contract(Id);
        Assert.That((record.Status, record.EffectiveVersion, record.EvidenceGrade), Is.EqualTo((ContractStatus.Effective, 1u, EvidenceGrade.PaperScanWorkerConfirmed)));
        Assert.That((record.WorkerKeyId, record.Latest.WorkerSigned), Is.EqualTo((Parties.Worker1.KeyId, true)));
        Assert.That(record.History.Select(h => h.Action), Is.EqualTo(new[] { ContractAction.UploadPaper, ContractAction.ConfirmPaper }));
        Assert.That(record.History[^1].WorkerSigner, Is.EqualTo(Parties.Worker1.KeyId));
        Assert.That(record.AttestationReference, Is.EqualTo("GZ-ARCHIVE-2024-0001"), "the upload's reference stays");
        var pair = Ledger.Chaincode.State.ContractStore.GetPair(chain.State, Parties.CodeA.Value, Parties.CommitmentA);
        Assert.That(pair.ConsecutiveFixedTerms, Is.EqualTo(1), "concluded now");
    }

    [Test]
    public void The_employer_or_an_integrator_may_carry_the_worker_confirmation()
    {
        var byEmployer = Pending();
        TestChain.Expect(byEmployer.Submit(Make.Confirm(Id), Parties.EmployerA, Parties.Worker1));
        Assert.That(byEmployer.Contract(Id).EvidenceGrade, Is.EqualTo(EvidenceGrade.PaperScanWorkerConfirmed));

        var byIntegrator = Pending();
        TestChain.Expect(byIntegrator.Submit(Make.Confirm(Id), Parties.Integrator, Parties.Worker1));
        Assert.That(byIntegrator.Contract(Id).Status, Is.EqualTo(ContractStatus.Effective));
    }

    [Test]
    public void A_re_enrolled_worker_same_person_new_key_confirms()
    {
        var chain = Pending();
        var again = Parties.ReEnrolled(Parties.Worker1, 7);
        TestChain.Expect(chain.Submit(Make.Confirm(Id), again, again));
        Assert.That(chain.Contract(Id).WorkerKeyId, Is.EqualTo(again.KeyId));
    }

    [Test]
    public void A_bureau_attests_with_its_archive_reference_and_the_contract_comes_into_force()
    {
        var chain = Pending();
        TestChain.Expect(chain.Submit(Make.Confirm(Id, reference: Reference), Parties.GuangzhouBureau));
        var record = chain.Contract(Id);
        Assert.That((record.Status, record.EvidenceGrade, record.AttestationReference), Is.EqualTo((ContractStatus.Effective, EvidenceGrade.PaperScanBureauAttested, Reference)));
        Assert.That((record.WorkerKeyId, record.Latest.WorkerSigned), Is.EqualTo(((Hash32?)null, false)), "no worker signed");
        Assert.That(record.History[^1].SubmitterCertificateId, Is.EqualTo(Parties.GuangzhouBureau.CertificateId));
    }

    [Test]
    public void Another_worker_confirming_is_refused_WrongWorker_and_leaves_the_contract_pending()
    {
        var chain = Pending();
        var before = chain.StateRoot();
        var stranger = Parties.CertifiedWorker(Parties.Worker2);
        Assert.That(chain.Submit(Make.Confirm(Id), stranger, stranger).Code, Is.EqualTo(ErrorCode.WrongWorker), "submitting and signing");
        Assert.That(chain.Submit(Make.Confirm(Id), Parties.EmployerA, Parties.Worker2).Code, Is.EqualTo(ErrorCode.WrongWorker), "signing for the employer's tx");
        Assert.That(chain.Submit(Make.Confirm(Id), stranger, Parties.Worker1).Code, Is.EqualTo(ErrorCode.WrongWorker), "submitting the right worker's signature");
        Assert.That(chain.StateRoot(), Is.EqualTo(before));
        Assert.That(chain.Contract(Id).Status, Is.EqualTo(ContractStatus.PendingConfirmation));
    }

    [Test]
    public void The_employer_cannot_confirm_its_own_upload()
    {
        var chain = Pending();
        Assert.That(chain.Submit(Make.Confirm(Id), Parties.EmployerA, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.MissingWorkerSignature));
        Assert.That(chain.Submit(Make.Confirm(Id), Parties.Integrator, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.MissingWorkerSignature));
        Assert.That(chain.Submit(Make.Confirm(Id), Parties.BareKey(3) with { Role = Ledger.Core.Identity.Role.Worker }).Code, Is.EqualTo(ErrorCode.WrongWorker), "a worker role without a pseudonym names nobody");
        Assert.That(chain.Contract(Id).Status, Is.EqualTo(ContractStatus.PendingConfirmation));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" \t")]
    public void A_bureau_attestation_without_a_reference_is_refused(string? reference)
    {
        var chain = Pending();
        Assert.That(chain.Submit(Make.Confirm(Id, reference: reference), Parties.GuangzhouBureau).Code, Is.EqualTo(ErrorCode.AttestationReferenceRequired));
        Assert.That(chain.Contract(Id).Status, Is.EqualTo(ContractStatus.PendingConfirmation));
    }

    [Test]
    public void Only_a_bureau_names_an_archive_reference()
    {
        var chain = Pending();
        var worker = Parties.CertifiedWorker(Parties.Worker1);
        Assert.That(chain.Submit(Make.Confirm(Id, reference: Reference), worker, worker).Code, Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(chain.Submit(Make.Confirm(Id, reference: Reference), Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.InvalidFieldValue));
    }

    [Test]
    public void A_bureau_of_another_city_cannot_attest()
    {
        var chain = Pending();
        Assert.That(chain.Submit(Make.Confirm(Id, reference: Reference), Parties.ShenzhenBureau).Code, Is.EqualTo(ErrorCode.OutsideJurisdiction));
        TestChain.Expect(chain.Submit(Make.Confirm(Id, reference: Reference), Parties.ProvinceBureau));
    }

    [Test]
    public void Confirmation_names_the_scan_uploaded()
    {
        var chain = Pending();
        Assert.That(chain.Submit(Make.Confirm(Id, Parties.Hash("another scan")), Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.WrongDocumentHash));
    }

    [Test]
    public void Who_may_submit_a_confirmation()
    {
        var chain = Pending();
        Assert.That(chain.Submit(Make.Confirm(Id), Parties.EmployerB, Parties.Worker1).Code, Is.EqualTo(ErrorCode.NotEmployerOfRecord));
        Assert.That(chain.Submit(Make.Confirm(Id), Parties.Court, Parties.Worker1).Code, Is.EqualTo(ErrorCode.SubmitterRoleNotAllowed));
        Assert.That(chain.Submit(Make.Confirm(Id), Parties.EmployerA, Parties.Worker1, Parties.EmployerB).Code, Is.EqualTo(ErrorCode.NotParty));
    }

    [Test]
    public void A_confirmation_of_nothing_or_twice_is_refused()
    {
        Assert.That(new TestChain().Submit(Make.Confirm("NOPE-1"), Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.ContractNotFound));
        var chain = Pending();
        TestChain.Expect(chain.Submit(Make.Confirm(Id), Parties.EmployerA, Parties.Worker1));
        Assert.That(chain.Submit(Make.Confirm(Id, reference: Reference), Parties.GuangzhouBureau).Code, Is.EqualTo(ErrorCode.NotAwaitingConfirmation));
        Assert.That(chain.Contract(Id).EvidenceGrade, Is.EqualTo(EvidenceGrade.PaperScanWorkerConfirmed), "the grade is not rewritten");
    }

    [Test]
    public void Nothing_runs_on_a_pending_upload_no_dismissal_no_probation_no_change()
    {
        var chain = Pending(Make.Terms(probationEnd: "2024-08-31"));
        var scan = chain.Contract(Id).Latest.DocumentHash;
        var before = chain.StateRoot();
        Assert.That(chain.Submit(Make.Dissolve(Id, 1, scan, DissolutionBasis.Art39ProbationFailed, "2024-07-15"), Parties.EmployerA).Code,
            Is.EqualTo(ErrorCode.ContractNotEffective), "dismissal in probation");
        Assert.That(chain.Submit(Make.Dissolve(Id, 1, scan, DissolutionBasis.Art40Incompetence, "2024-07-15"), Parties.EmployerA).Code,
            Is.EqualTo(ErrorCode.ContractNotEffective), "dismissal with notice");
        Assert.That(chain.Submit(Make.Terminate(Id, 1, scan), Parties.EmployerA).Code, Is.EqualTo(ErrorCode.ContractNotEffective));
        Assert.That(chain.Submit(Make.Change(Id, 1), Parties.EmployerA).Code, Is.EqualTo(ErrorCode.ContractNotEffective));
        Assert.That(chain.Submit(Make.Sign(Id, 1, scan), Parties.EmployerA, Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.ContractNotEffective));
        Assert.That(chain.StateRoot(), Is.EqualTo(before));
    }

    [Test]
    public void A_probation_concluded_since_the_upload_stops_its_confirmation()
    {
        // The pending upload's probation is no probation yet: the pair may conclude one elsewhere; then the upload's
        // confirmation would be a second one (art. 19 para. 2).
        var chain = Pending(Make.Terms(probationEnd: "2024-08-31"));
        chain.RegisterEffective("GZ-2024-000002", Make.Terms(start: "2024-07-01", end: "2027-06-30", probationEnd: "2024-09-30"));
        Assert.That(chain.Submit(Make.Confirm(Id), Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.RepeatedProbation));
        Assert.That(chain.Contract(Id).Status, Is.EqualTo(ContractStatus.PendingConfirmation));
    }

    [Test]
    public void Pending_uploads_count_for_art_14_only_once_confirmed_and_the_confirmation_is_warned()
    {
        var chain = Pending(Make.Terms(start: "2018-01-01", end: "2020-12-31"), "P-1");
        TestChain.Expect(chain.Submit(Make.Paper("P-2", Make.Terms(start: "2021-01-01", end: "2023-12-31")), Parties.EmployerA));
        Assert.That(chain.Register("C-3").Warnings, Is.Empty, "two unconfirmed uploads are no streak");
        TestChain.Expect(chain.Submit(Make.Confirm("P-1"), Parties.EmployerA, Parties.Worker1));
        Assert.That(chain.Submit(Make.Confirm("P-2"), Parties.EmployerA, Parties.Worker1).Warnings, Is.Empty, "the second confirmed");
        Assert.That(chain.Register("C-4").Warnings, Is.EqualTo(new[] { ErrorCode.ThirdConsecutiveFixedTerm }));
    }

    [Test]
    public void Before_protocol_version_4_an_upload_was_in_force_at_once_and_there_is_no_confirmation()
    {
        var chain = new TestChain { ProtocolVersion = ProtocolVersions.V3 };
        var result = chain.Submit(Make.Paper(Id) with { AttestationReference = null }, Parties.EmployerA);
        Assert.That((result.Code, result.Warnings), Is.EqualTo((ErrorCode.Ok, Array.Empty<ErrorCode>())));
        Assert.That((chain.Contract(Id).Status, chain.Contract(Id).EvidenceGrade), Is.EqualTo((ContractStatus.Effective, EvidenceGrade.PaperScan)));
        TestChain.Expect(chain.Submit(Make.Paper("GZ-2024-000002") with { AttestationReference = null }, Parties.GuangzhouBureau));
        Assert.That(chain.Submit(Make.Confirm(Id), Parties.EmployerA, Parties.Worker1).Code, Is.EqualTo(ErrorCode.PayloadNotActive));
    }

    [Test]
    public void The_confirmation_payload_round_trips_and_its_statement_names_version_1_and_the_scan()
    {
        var payload = Make.Confirm(Id, reference: Reference);
        Assert.That(ConfirmPaperPayload.Decode(payload.Encode()), Is.EqualTo(payload));
        Assert.That(ContractPayloads.Decode(ContractPayloads.ConfirmPaperField, payload.Encode()), Is.EqualTo(payload));
        var statement = ContractPayloads.StatementFor(payload, TestChain.ChainId, Ledger.Crypto.Sm3Hasher.Instance);
        Assert.That((statement.Version, statement.DocumentHash, statement.Action), Is.EqualTo((1u, payload.ScanHash, ContractAction.ConfirmPaper)));
        Assert.That(ContractPayloads.IsContractPayload(ContractPayloads.ConfirmPaperField), Is.True);
        Assert.That(ProtocolVersions.IntroducedIn(ContractPayloads.ConfirmPaperField), Is.EqualTo(ProtocolVersions.V4));
    }
}
