using Ledger.Chaincode.Law;
using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Tests;

/// <summary>Art. 19: the limits at each boundary, and the calendar arithmetic they rest on.</summary>
public class ProbationLimitTests
{
    [TestCase("2024-01-01", 1, "2024-01-31")]
    [TestCase("2024-03-01", 1, "2024-03-31")]
    [TestCase("2024-01-15", 1, "2024-02-14")]
    [TestCase("2024-01-31", 1, "2024-02-29")] // no 31 February: the month's last day (Civil Code art. 202)
    [TestCase("2023-01-31", 1, "2023-02-28")]
    [TestCase("2024-01-29", 1, "2024-02-28")]
    [TestCase("2024-08-31", 6, "2025-02-28")]
    [TestCase("2024-07-01", 12, "2025-06-30")]
    [TestCase("2024-02-29", 12, "2025-02-28")]
    [TestCase("2024-07-01", 36, "2027-06-30")]
    public void Last_day_of_a_period_counts_the_first_day(string start, int months, string last) =>
        Assert.That(ProbationLimits.LastDayOfPeriod(Make.Date(start), months), Is.EqualTo(Make.Date(last)));

    [TestCase(ContractType.FixedTerm, "2024-09-29", 0, TestName = "Term_one_day_short_of_three_months_allows_no_probation")]
    [TestCase(ContractType.FixedTerm, "2024-09-30", 1, TestName = "Term_of_exactly_three_months_allows_one_month")]
    [TestCase(ContractType.FixedTerm, "2025-06-29", 1, TestName = "Term_one_day_short_of_a_year_allows_one_month")]
    [TestCase(ContractType.FixedTerm, "2025-06-30", 2, TestName = "Term_of_exactly_one_year_allows_two_months")]
    [TestCase(ContractType.FixedTerm, "2027-06-29", 2, TestName = "Term_one_day_short_of_three_years_allows_two_months")]
    [TestCase(ContractType.FixedTerm, "2027-06-30", 6, TestName = "Term_of_exactly_three_years_allows_six_months")]
    [TestCase(ContractType.OpenEnded, null, 6, TestName = "Open_ended_contract_allows_six_months")]
    [TestCase(ContractType.TaskBased, "2030-01-01", 0, TestName = "Task_based_contract_allows_no_probation_however_long")]
    public void Limit_for_the_term(ContractType type, string? end, int months) =>
        Assert.That(ProbationLimits.MaxMonths(Make.Terms(type: type, start: "2024-07-01", end: end)), Is.EqualTo(months));

    [TestCase("2024-12-31", "2024-07-31", ErrorCode.Ok, TestName = "Accepts_one_month_probation_for_a_six_month_term")]
    [TestCase("2024-12-31", "2024-08-01", ErrorCode.ProbationTooLong, TestName = "Rejects_one_month_and_a_day_for_a_six_month_term")]
    [TestCase("2025-06-30", "2024-08-31", ErrorCode.Ok, TestName = "Accepts_two_months_probation_for_a_one_year_term")]
    [TestCase("2025-06-30", "2024-09-01", ErrorCode.ProbationTooLong, TestName = "Rejects_two_months_and_a_day_for_a_one_year_term")]
    [TestCase("2027-06-30", "2024-12-31", ErrorCode.Ok, TestName = "Accepts_six_months_probation_for_a_three_year_term")]
    [TestCase("2027-06-30", "2025-01-01", ErrorCode.ProbationTooLong, TestName = "Rejects_six_months_and_a_day_for_a_three_year_term")]
    [TestCase("2024-09-29", "2024-07-05", ErrorCode.ProbationNotAllowed, TestName = "Rejects_any_probation_for_a_term_under_three_months")]
    public void Probation_on_register(string end, string probationEnd, ErrorCode expected)
    {
        var chain = new TestChain();
        var result = chain.Register("C-1", Make.Terms(start: "2024-07-01", end: end, probationEnd: probationEnd));
        Assert.That(result.Code, Is.EqualTo(expected), result.Message);
    }

    [Test]
    public void Rejects_probation_in_a_task_based_contract()
    {
        var chain = new TestChain();
        var result = chain.Register("C-1", Make.Terms(type: ContractType.TaskBased, end: null, probationEnd: "2024-07-15"));
        Assert.That(result.Code, Is.EqualTo(ErrorCode.ProbationNotAllowed));
    }

    [Test]
    public void Accepts_six_months_probation_in_an_open_ended_contract_and_rejects_more()
    {
        var chain = new TestChain();
        Assert.That(chain.Register("C-1", Make.Terms(type: ContractType.OpenEnded, end: null, probationEnd: "2024-12-31")).Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(chain.Register("C-2", Make.Terms(type: ContractType.OpenEnded, end: null, probationEnd: "2025-01-01")).Code, Is.EqualTo(ErrorCode.ProbationTooLong));
    }

    [Test]
    public void Rejects_a_change_that_extends_probation_but_accepts_one_that_shortens_it()
    {
        var chain = new TestChain();
        chain.RegisterEffective("C-1", Make.Terms(probationEnd: "2024-09-30"));
        Assert.That(chain.Submit(Make.Change("C-1", 1, Make.Terms(probationEnd: "2024-10-31")), Parties.EmployerA).Code, Is.EqualTo(ErrorCode.RepeatedProbation));
        Assert.That(chain.Submit(Make.Change("C-1", 1, Make.Terms(probationEnd: "2024-08-31")), Parties.EmployerA).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Rejects_a_change_that_adds_a_probation()
    {
        var chain = new TestChain();
        chain.RegisterEffective("C-1");
        Assert.That(chain.Submit(Make.Change("C-1", 1, Make.Terms(probationEnd: "2024-08-31")), Parties.EmployerA).Code, Is.EqualTo(ErrorCode.RepeatedProbation));
    }

    [Test]
    public void A_probation_in_a_contract_never_signed_does_not_count_as_agreed()
    {
        var chain = new TestChain();
        TestChain.Expect(chain.Register("C-1", Make.Terms(probationEnd: "2024-09-30")));
        Assert.That(chain.Register("C-2", Make.Terms(probationEnd: "2024-09-30")).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Rejects_a_probation_in_a_renewal_after_one_was_agreed()
    {
        var chain = new TestChain();
        chain.RegisterEffective("C-1", Make.Terms(probationEnd: "2024-09-30"));
        var renewal = Make.Renew("C-1", 1, Make.Terms(start: "2027-07-01", end: "2030-06-30", probationEnd: "2027-08-31"));
        Assert.That(chain.Submit(renewal, Parties.EmployerA).Code, Is.EqualTo(ErrorCode.RepeatedProbation));
    }

    [Test]
    public void Rejects_a_probation_ending_after_the_term()
    {
        var chain = new TestChain();
        Assert.That(chain.Register("C-1", Make.Terms(end: "2024-12-31", probationEnd: "2025-01-15")).Code, Is.EqualTo(ErrorCode.ProbationOutsideTerm));
    }
}
