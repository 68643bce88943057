using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Tests;

/// <summary>Art. 14 para. 2 (3): a third consecutive fixed term with the same employer and worker is a warning, not a refusal.</summary>
public class ConsecutiveFixedTermTests
{
    private const string Id = "GZ-2024-000001";

    [Test]
    public void Warns_on_a_third_consecutive_fixed_term_by_renewal()
    {
        var chain = new TestChain();
        chain.RegisterEffective(Id);
        var second = chain.Submit(Make.Renew(Id, 1), Parties.EmployerA);
        Assert.That(second.Warnings, Is.Empty);
        TestChain.Expect(chain.SignLatest(Id, Parties.EmployerA, Parties.EmployerA, Parties.Worker1));

        var third = chain.Submit(Make.Renew(Id, 2, Make.Terms(start: "2030-07-01", end: "2033-06-30")), Parties.EmployerA);

        Assert.That(third.Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(third.Warnings, Is.EqualTo(new[] { ErrorCode.ThirdConsecutiveFixedTerm }));
    }

    [Test]
    public void Warns_on_a_third_fixed_term_contract_registered_under_a_new_id()
    {
        var chain = new TestChain();
        chain.RegisterEffective("C-1", Make.Terms(start: "2018-01-01", end: "2020-12-31"));
        chain.RegisterEffective("C-2", Make.Terms(start: "2021-01-01", end: "2023-12-31"));
        var third = chain.Register("C-3", Make.Terms(start: "2024-01-01", end: "2026-12-31"));
        Assert.That(third.Warnings, Is.EqualTo(new[] { ErrorCode.ThirdConsecutiveFixedTerm }));
    }

    [Test]
    public void Does_not_warn_for_another_worker_or_another_employer()
    {
        var chain = new TestChain();
        chain.RegisterEffective("C-1", Make.Terms(start: "2018-01-01", end: "2020-12-31"));
        chain.RegisterEffective("C-2", Make.Terms(start: "2021-01-01", end: "2023-12-31"));
        Assert.That(chain.Submit(Make.Register("C-3", worker: Parties.CommitmentB), Parties.EmployerA).Warnings, Is.Empty);
        Assert.That(chain.Submit(Make.Register("C-4", employer: Parties.CodeB.Value, terms: Make.Terms(place: "440305000000")), Parties.EmployerB).Warnings, Is.Empty);
    }

    [Test]
    public void Does_not_count_contracts_never_signed()
    {
        var chain = new TestChain();
        chain.Register("C-1", Make.Terms(start: "2018-01-01", end: "2020-12-31"));
        chain.Register("C-2", Make.Terms(start: "2021-01-01", end: "2023-12-31"));
        Assert.That(chain.Register("C-3").Warnings, Is.Empty);
    }

    [Test]
    public void An_open_ended_contract_resets_the_streak()
    {
        var chain = new TestChain();
        chain.RegisterEffective("C-1", Make.Terms(start: "2018-01-01", end: "2020-12-31"));
        chain.RegisterEffective("C-2", Make.Terms(type: ContractType.OpenEnded, start: "2021-01-01", end: null));
        chain.RegisterEffective("C-3", Make.Terms(start: "2022-01-01", end: "2023-12-31"));
        Assert.That(chain.Register("C-4").Warnings, Is.Empty);
    }

    [Test]
    public void Paper_contracts_count_too_and_an_open_ended_third_contract_is_not_warned()
    {
        var chain = new TestChain();
        TestChain.Expect(chain.Submit(Make.Paper("P-1", Make.Terms(start: "2018-01-01", end: "2020-12-31")), Parties.EmployerA, Parties.Worker1));
        TestChain.Expect(chain.Submit(Make.Paper("P-2", Make.Terms(start: "2021-01-01", end: "2023-12-31")), Parties.GuangzhouBureau));
        Assert.That(chain.Register("C-3", Make.Terms(type: ContractType.OpenEnded, end: null)).Warnings, Is.Empty);
        Assert.That(chain.Register("C-4").Warnings, Is.EqualTo(new[] { ErrorCode.ThirdConsecutiveFixedTerm }));
    }

    [Test]
    public void A_change_of_a_third_contract_is_not_warned_again()
    {
        var chain = new TestChain();
        chain.RegisterEffective("C-1", Make.Terms(start: "2018-01-01", end: "2020-12-31"));
        chain.RegisterEffective("C-2", Make.Terms(start: "2021-01-01", end: "2023-12-31"));
        chain.RegisterEffective("C-3");
        Assert.That(chain.Submit(Make.Change("C-3", 1), Parties.EmployerA).Warnings, Is.Empty);
    }
}
