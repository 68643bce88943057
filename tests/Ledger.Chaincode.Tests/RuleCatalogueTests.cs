using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;

namespace Ledger.Chaincode.Tests;

/// <summary>
/// One case per rule: a tx that would be accepted but for one violation, and the code it must be refused with.
/// Remove the rule and its case fails (the tx is accepted, or refused for another reason). Every chaincode
/// rejection code of <see cref="ErrorCode"/> must have a case here.
/// </summary>
public class RuleCatalogueTests
{
    private const string Id = "GZ-2024-000001";

    private static readonly Ledger.Core.Identity.SignerIdentity EmployerA = Parties.EmployerA;
    private static readonly Ledger.Core.Identity.SignerIdentity Worker1 = Parties.Worker1;

    public sealed record Case(string Name, ErrorCode Code, Func<TestChain, ExecutionResult> Act)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Case> Cases()
    {
        // The contract and its lifecycle.
        yield return new("Rejects_sign_of_an_unknown_contract", ErrorCode.ContractNotFound,
            c => c.Submit(Make.Sign("NOPE-1", 1, Make.Doc("NOPE-1", 1)), EmployerA, EmployerA));
        yield return new("Rejects_register_of_an_existing_contract_id", ErrorCode.ContractAlreadyExists,
            c => { c.Register(Id); return c.Submit(Make.Register(Id, Make.Terms(start: "2024-08-01")), EmployerA); });
        yield return new("Rejects_a_change_after_dissolution", ErrorCode.ContractClosed,
            c => { Dissolved(c); return c.Submit(Make.Change(Id, 1), EmployerA); });
        yield return new("Rejects_dissolving_a_contract_never_in_force", ErrorCode.ContractNotEffective,
            c => { c.Register(Id); return c.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1)), EmployerA, EmployerA, Worker1); });
        yield return new("Rejects_a_second_employer_signature_of_the_same_version", ErrorCode.AlreadySigned,
            c => { c.Register(Id); c.SignLatest(Id, EmployerA, EmployerA); return c.SignLatest(Id, EmployerA, EmployerA); });
        yield return new("Rejects_a_signature_over_another_version", ErrorCode.WrongVersion,
            c => { c.Register(Id); return c.Submit(Make.Sign(Id, 2, Make.Doc(Id, 1)), EmployerA, EmployerA, Worker1); });
        yield return new("Rejects_a_signature_over_another_document_hash", ErrorCode.WrongDocumentHash,
            c => { c.Register(Id); return c.Submit(Make.Sign(Id, 1, Parties.Hash("another document")), EmployerA, EmployerA, Worker1); });
        yield return new("Rejects_a_contract_id_with_spaces", ErrorCode.InvalidContractId,
            c => c.Submit(Make.Register("GZ 2024 1"), EmployerA));
        yield return new("Rejects_a_sign_tx_without_any_party_signature", ErrorCode.NoPartySignature,
            c => { c.Register(Id); return c.SignLatest(Id, EmployerA); });
        yield return new("Rejects_confirming_a_registered_contract_as_paper", ErrorCode.NotAwaitingConfirmation,
            c => { c.RegisterEffective(Id); return c.Submit(Make.Confirm(Id, Make.Doc(Id, 1)), EmployerA, Worker1); });

        // Who may act.
        yield return new("Rejects_register_by_a_court", ErrorCode.SubmitterRoleNotAllowed,
            c => c.Submit(Make.Register(Id), Parties.Court, EmployerA));
        yield return new("Rejects_register_by_an_employer_for_another_credit_code", ErrorCode.NotEmployerOfRecord,
            c => c.Submit(Make.Register(Id), Parties.EmployerB));
        yield return new("Rejects_register_by_a_bureau_of_another_city", ErrorCode.OutsideJurisdiction,
            c => c.Submit(Make.Register(Id), Parties.ShenzhenBureau, EmployerA));
        yield return new("Rejects_register_by_an_integrator_without_the_employer_signature", ErrorCode.MissingEmployerEndorsement,
            c => c.Submit(Make.Register(Id), Parties.Integrator));
        yield return new("Rejects_worker_notice_dissolution_without_the_worker_signature", ErrorCode.MissingWorkerSignature,
            c => { c.RegisterEffective(Id); return c.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1), DissolutionBasis.Art37WorkerNotice), EmployerA, EmployerA); });
        yield return new("Rejects_a_statement_signature_by_another_employer", ErrorCode.NotParty,
            c => c.Submit(Make.Register(Id), EmployerA, Parties.EmployerB));
        yield return new("Rejects_a_worker_signature_by_a_worker_the_contract_does_not_name", ErrorCode.WrongWorker,
            c => { c.RegisterEffective(Id); return c.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1), DissolutionBasis.Art37WorkerNotice), EmployerA, Parties.Worker2); });
        yield return new("Rejects_a_bureau_attestation_of_a_paper_upload_without_an_archive_reference", ErrorCode.AttestationReferenceRequired,
            c => { c.Submit(Make.Paper(Id), EmployerA); return c.Submit(Make.Confirm(Id), Parties.GuangzhouBureau); });
        yield return new("Rejects_signatures_of_two_worker_keys_in_one_tx", ErrorCode.AmbiguousWorkerSignature,
            c => { c.Register(Id); return c.SignLatest(Id, EmployerA, Worker1, Parties.ReEnrolled(Worker1, 9)); });

        // Codes the contract carries.
        yield return new("Rejects_a_credit_code_with_a_wrong_check_character", ErrorCode.InvalidEmployerCreditCode,
            c => c.Submit(Make.Register(Id, employer: WrongCheck(Parties.CodeA.Value)), Parties.Integrator, EmployerA));
        yield return new("Rejects_a_six_digit_place_of_work", ErrorCode.InvalidPlaceOfWork,
            c => c.Submit(Make.Register(Id, Make.Terms(place: "440106")), EmployerA));
        yield return new("Rejects_a_place_of_work_outside_Guangdong", ErrorCode.PlaceOfWorkOutsideProvince,
            c => c.Submit(Make.Register(Id, Make.Terms(place: "110105000000")), EmployerA));
        yield return new("Rejects_a_place_of_work_given_only_as_a_city_with_counties", ErrorCode.PlaceOfWorkTooCoarse,
            c => c.Submit(Make.Register(Id, Make.Terms(place: "440100000000")), EmployerA));
        yield return new("Rejects_an_industry_division_outside_its_section", ErrorCode.InvalidIndustryCode,
            c => c.Submit(Make.Register(Id, Make.Terms(industry: "C6510")), EmployerA));
        yield return new("Rejects_a_model_text_id_with_spaces", ErrorCode.InvalidModelTextId,
            c => c.Submit(Make.Register(Id, Make.Terms(modelText: "GD model 2024")), EmployerA));

        // Dates and the Labour Contract Law.
        yield return new("Rejects_a_term_that_ends_before_it_starts", ErrorCode.EndBeforeStart,
            c => c.Submit(Make.Register(Id, Make.Terms(start: "2024-07-01", end: "2024-06-30")), EmployerA));
        yield return new("Rejects_a_fixed_term_contract_without_an_end_date", ErrorCode.MissingEndDate,
            c => c.Submit(Make.Register(Id, Make.Terms(end: null)), EmployerA));
        yield return new("Rejects_an_open_ended_contract_with_an_end_date", ErrorCode.UnexpectedEndDate,
            c => c.Submit(Make.Register(Id, Make.Terms(type: ContractType.OpenEnded)), EmployerA));
        yield return new("Rejects_a_probation_ending_before_the_term_starts", ErrorCode.ProbationOutsideTerm,
            c => c.Submit(Make.Register(Id, Make.Terms(probationEnd: "2024-06-30")), EmployerA));
        yield return new("Rejects_probation_for_a_two_month_term", ErrorCode.ProbationNotAllowed,
            c => c.Submit(Make.Register(Id, Make.Terms(end: "2024-08-31", probationEnd: "2024-07-10")), EmployerA));
        yield return new("Rejects_probation_over_one_month_for_a_six_month_term", ErrorCode.ProbationTooLong,
            c => c.Submit(Make.Register(Id, Make.Terms(end: "2024-12-31", probationEnd: "2024-08-01")), EmployerA));
        yield return new("Rejects_a_second_probation_with_the_same_worker", ErrorCode.RepeatedProbation,
            c =>
            {
                c.RegisterEffective(Id, Make.Terms(probationEnd: "2024-09-30"));
                return c.Submit(Make.Register("GZ-2024-000002", Make.Terms(start: "2027-07-01", end: "2030-06-30", probationEnd: "2027-08-31")), EmployerA);
            });
        yield return new("Rejects_renewing_an_open_ended_contract", ErrorCode.NotRenewable,
            c => { c.RegisterEffective(Id, Make.Terms(type: ContractType.OpenEnded, end: null)); return c.Submit(Make.Renew(Id, 1), EmployerA); });
        yield return new("Rejects_a_renewal_starting_on_the_last_day_of_the_current_term", ErrorCode.RenewalNotAfterTerm,
            c => { c.RegisterEffective(Id); return c.Submit(Make.Renew(Id, 1, Make.Terms(start: "2027-06-30", end: "2030-06-30")), EmployerA); });
        yield return new("Rejects_a_dissolution_effective_before_the_start", ErrorCode.EffectiveBeforeStart,
            c => { c.RegisterEffective(Id); return c.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1), effective: "2024-06-30"), EmployerA, EmployerA, Worker1); });
        yield return new("Rejects_dismissal_for_failing_probation_after_probation_ended", ErrorCode.DissolutionOutsideProbation,
            c =>
            {
                c.RegisterEffective(Id, Make.Terms(probationEnd: "2024-09-30"));
                return c.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1), DissolutionBasis.Art39ProbationFailed, "2024-10-01"), EmployerA);
            });
        yield return new("Rejects_termination_for_expiry_before_the_term_ends", ErrorCode.TermNotExpired,
            c => { c.RegisterEffective(Id); return c.Submit(Make.Terminate(Id, 1, Make.Doc(Id, 1), TerminationReason.TermExpired, "2027-06-29"), EmployerA); });
        yield return new("Rejects_termination_for_expiry_dated_at_the_end_while_the_chain_date_is_before_it", ErrorCode.TermNotExpired,
            c => { c.RegisterEffective(Id); return c.Submit(Make.Terminate(Id, 1, Make.Doc(Id, 1), TerminationReason.TermExpired, "2027-06-30"), EmployerA); });
        yield return new("Rejects_a_bureau_alone_terminating_for_a_pension", ErrorCode.GroundNotAttestable,
            c => { c.RegisterEffective(Id); return c.Submit(Make.Terminate(Id, 1, Make.Doc(Id, 1), TerminationReason.PensionStarted), Parties.GuangzhouBureau); });
        yield return new("Rejects_a_paper_contract_signed_after_today", ErrorCode.PaperSignedInFuture,
            c => c.Submit(Make.Paper(Id, signedOn: "2024-06-02"), EmployerA));
    }

    [TestCaseSource(nameof(Cases))]
    public void Rule(Case @case)
    {
        var chain = new TestChain();
        var result = @case.Act(chain);
        Assert.That(result.Code, Is.EqualTo(@case.Code), result.Message);
    }

    [Test]
    public void Every_chaincode_rejection_code_has_a_case()
    {
        var chaincodeCodes = Enum.GetValues<ErrorCode>().Where(c => (int)c is >= 1000 and < 1900);
        var covered = Cases().Select(c => c.Code).ToHashSet();
        Assert.That(chaincodeCodes.Where(c => !covered.Contains(c)), Is.Empty);
    }

    private static void Dissolved(TestChain c)
    {
        c.RegisterEffective(Id);
        TestChain.Expect(c.Submit(Make.Dissolve(Id, 1, Make.Doc(Id, 1)), EmployerA, EmployerA, Worker1));
    }

    private static string WrongCheck(string code) => code[..17] + (code[17] == '0' ? '1' : '0');
}
