using Ledger.Analytics.Warnings;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.TestKit.Builders;

namespace Ledger.Analytics.Tests;

public class WarningTests
{
    [Test]
    public async Task Art41_fires_at_20_economic_dismissals_in_the_window_and_not_at_19_linking_its_contracts()
    {
        var (_, source, indexer) = await IndexingTests.NewIndex();
        await using var _ = source;
        var store = new WarningStore(source);
        var scenario = new LayoffScenario(indexer);
        await scenario.HireAsync(400);
        await scenario.DissolveAsync(10);
        await scenario.DissolveAsync(5, DissolutionBasis.Art36Agreement); // not economic: never counted
        await scenario.DissolveAsync(9);
        Assert.That(await store.ListAsync(DivisionCode.Parse("440000000000"), false, 100), Is.Empty, "19 economic dismissals of a workforce of 400");

        await scenario.DissolveAsync(1);
        var warnings = await store.ListAsync(DivisionCode.Parse("440100000000"), false, 100);
        Assert.That(warnings, Has.Count.EqualTo(1));
        var warning = warnings[0];
        Assert.Multiple(() =>
        {
            Assert.That(warning.Kind, Is.EqualTo("art41_count"));
            Assert.That(warning.Employer, Is.EqualTo(TestNetwork.EmployerCreditCode.Value));
            Assert.That(warning.Division, Is.EqualTo("440101000000"), "the employer's registration (credit code digits 3-8)");
            Assert.That(warning.Observed, Is.EqualTo(20));
            Assert.That(warning.Evidence.Select(e => (e.ContractId, Convert.ToHexStringLower(e.TxId))),
                Is.EquivalentTo(scenario.Dissolved.Select(d => (d.ContractId, d.TxId.ToHex()))), "each warning links its contracts and txs");
        });

        // The 21st in the same window raises no second warning.
        await scenario.DissolveAsync(1);
        Assert.That(await store.ListAsync(DivisionCode.Parse("440100000000"), false, 100), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Art41_dismissals_spread_beyond_the_window_do_not_fire()
    {
        var (_, source, indexer) = await IndexingTests.NewIndex();
        await using var _ = source;
        var scenario = new LayoffScenario(indexer);
        await scenario.HireAsync(400);
        await scenario.DissolveAsync(10);
        scenario.Time += TimeSpan.FromDays(31);
        await scenario.DissolveAsync(10);
        Assert.That(await new WarningStore(source).ListAsync(DivisionCode.Parse("440000000000"), false, 100), Is.Empty, "10 + 10 in two 30-day windows");
    }

    [Test]
    public async Task Art41_share_fires_at_ten_percent_of_a_small_workforce_and_not_below()
    {
        var (_, source, indexer) = await IndexingTests.NewIndex();
        await using var _ = source;
        var store = new WarningStore(source);
        var scenario = new LayoffScenario(indexer);
        await scenario.HireAsync(50);
        await scenario.DissolveAsync(4);
        Assert.That(await store.ListAsync(DivisionCode.Parse("440000000000"), false, 100), Is.Empty, "4 of 50 is 8 %");

        await scenario.DissolveAsync(1);
        var warning = (await store.ListAsync(DivisionCode.Parse("440000000000"), false, 100)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(warning.Kind, Is.EqualTo("art41_share"));
            Assert.That((warning.Observed, warning.Reference), Is.EqualTo((5, 50)), "5 of a workforce of 50");
            Assert.That(warning.Evidence.Select(e => e.ContractId), Is.EquivalentTo(scenario.Dissolved.Select(d => d.ContractId)));
        });
    }

    [Test]
    public async Task A_bureau_acknowledges_a_warning_once()
    {
        var (_, source, indexer) = await IndexingTests.NewIndex();
        await using var _ = source;
        var store = new WarningStore(source);
        var scenario = new LayoffScenario(indexer);
        await scenario.HireAsync(30);
        await scenario.DissolveAsync(3);
        var warning = (await store.ListAsync(DivisionCode.Parse("440100000000"), true, 10)).Single();
        var first = await store.AcknowledgeAsync(warning.Id, "Guangzhou HRSS", IndexingTests.TestNet.Validators[0].Certificate.Id, DateTimeOffset.UtcNow);
        var second = await store.AcknowledgeAsync(warning.Id, "someone else", IndexingTests.TestNet.Validators[1].Certificate.Id, DateTimeOffset.UtcNow);
        Assert.That(first!.AcknowledgedBy, Is.EqualTo("Guangzhou HRSS"));
        Assert.That(second!.AcknowledgedBy, Is.EqualTo("Guangzhou HRSS"), "the first acknowledgement stands");
        Assert.That(await store.ListAsync(DivisionCode.Parse("440100000000"), true, 10), Is.Empty, "no longer unacknowledged");
    }
}

public class IndexScopeTests
{
    [Test]
    public void A_bureau_scope_withholds_exactly_the_bases_a_node_withholds_from_bureaus()
    {
        foreach (var basis in Enum.GetValues<DissolutionBasis>())
            Assert.That(Indexing.IndexScope.IsSensitive(basis), Is.EqualTo(Node.Access.ReadPolicy.IsSensitive(basis)), basis.ToString());
    }
}
