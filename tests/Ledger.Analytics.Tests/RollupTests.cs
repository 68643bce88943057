using System.Globalization;
using Ledger.Analytics.Indexing;
using Ledger.Analytics.Schema;
using Ledger.Analytics.Statistics;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.TestKit.Builders;
using Npgsql;

namespace Ledger.Analytics.Tests;

/// <summary>
/// The monthly rollup (issue 15): kept by the indexer equal to one recomputed from the facts, built by the migration for an
/// existing database, and answering every statistic exactly as the facts do.
/// </summary>
public class RollupTests
{
    private const string Rollup = "SELECT * FROM monthly_rollup";

    /// <summary>A generated history of all 21 cities over two years, indexed once for the tests of this class.</summary>
    private static readonly Lazy<Task<(NpgsqlDataSource Source, ContractHistory History)>> Indexed = new(async () =>
    {
        var history = new ContractHistory(IndexingTests.TestNet, seed: 41, employers: 200);
        var (_, source, indexer) = await IndexingTests.NewIndex();
        Hash32? parent = null;
        const int events = 30_000;
        foreach (var block in history.Blocks(totalEvents: events, perBlock: 250, interval: TimeSpan.FromTicks(TimeSpan.FromDays(730).Ticks / (events / 250))))
            parent = await indexer.IndexAsync(block, parent);
        return (source, history);
    });

    [Test]
    public async Task The_indexers_rollup_equals_one_recomputed_from_the_facts_row_for_row()
    {
        var (source, _) = await Indexed.Value;
        Assert.That(await Count(source, Rollup), Is.GreaterThan(1000));
        Assert.That(await Difference(source, Rollup, MonthlyRollup.FromFactsSql), Is.Empty);
    }

    /// <summary>Every seventh of the combinations below (7 is prime to each dimension's size, so every value of each is met).</summary>
    [Test]
    public Task Every_statistic_reads_the_same_from_the_rollup_and_from_the_facts() => Same_from_both(stride: 7);

    /// <summary>All 1,080 combinations: each division level as filter × each grouping × months and sections × month ranges × industry and type filters.</summary>
    [Test]
    [Category("Long")]
    public Task Every_statistic_of_every_combination_reads_the_same_from_the_rollup_and_from_the_facts() => Same_from_both(stride: 1);

    private static async Task Same_from_both(int stride)
    {
        var (source, history) = await Indexed.Value;
        var reader = new StatisticsReader(source);
        var months = history.Events.Select(e => LifecycleMonth(e.Time)).Distinct().Order().ToArray();
        var someVillage = history.Events[history.Events.Count / 2].Village;
        var divisions = Enum.GetValues<DivisionLevel>().Select(level => DivisionCode.Parse(someVillage).AtLevel(level)).ToArray();
        var sections = history.Events.Select(e => e.Industry[..1]).Distinct().Order(StringComparer.Ordinal).Take(3).ToArray();
        var compared = 0;
        var nonEmpty = 0;
        var combination = 0;
        foreach (var division in divisions)
        foreach (var group in new DivisionLevel?[] { null }.Concat(Enum.GetValues<DivisionLevel>().Select(l => (DivisionLevel?)l)))
        foreach (var (byMonth, bySection) in new[] { (false, false), (true, false), (false, true), (true, true) })
        foreach (var (from, to) in new (DateOnly?, DateOnly?)[] { (null, null), (months[3], months[14]), (months[10], months[10]) })
        foreach (var (industry, type) in new (string?, ContractType?)[] { (null, null), (sections[0], null), (null, ContractType.OpenEnded), (sections[1], ContractType.FixedTerm) })
        {
            if (bySection && industry is not null) continue;
            if (combination++ % stride != 0) continue;
            var query = new StatisticsQuery
            {
                Division = division, GroupLevel = group, ByMonth = byMonth, BySection = bySection, FromMonth = from, ToMonth = to, Industry = industry, ContractType = type,
            };
            Assert.That(StatisticsReader.RollupAnswers(query), Is.True);
            var facts = Canonical(await reader.QueryAsync(query, StatisticsSource.Facts));
            var rollup = Canonical(await reader.QueryAsync(query, StatisticsSource.Rollup));
            Assert.That(rollup, Is.EqualTo(facts), $"{query}");
            compared++;
            if (facts.Length > 0) nonEmpty++;
        }
        TestContext.Out.WriteLine($"{compared} queries compared, {nonEmpty} with rows");
        Assert.That(compared, Is.EqualTo((1080 + stride - 1) / stride));
        Assert.That(nonEmpty, Is.GreaterThan(compared / 2), "most queries count something");
    }

    [Test]
    public async Task Queries_the_rollup_cannot_answer_are_counted_from_the_facts()
    {
        var (source, history) = await Indexed.Value;
        var reader = new StatisticsReader(source);
        var employer = history.Events[0].Employer;
        var industry = history.Events[0].Industry;
        foreach (var query in new[]
        {
            new StatisticsQuery { Division = DivisionCode.Parse("440000000000"), ByEmployer = true, ByMonth = true },
            new StatisticsQuery { Division = DivisionCode.Parse("440000000000"), Employer = employer },
            new StatisticsQuery { Division = DivisionCode.Parse("440000000000"), Industry = industry, GroupLevel = DivisionLevel.City },
        })
        {
            Assert.That(StatisticsReader.RollupAnswers(query), Is.False);
            await Assert.ThrowsAsync<AnalyticsException>(() => reader.QueryAsync(query, StatisticsSource.Rollup));
            var rows = await reader.QueryAsync(query);
            Assert.That(rows, Is.Not.Empty);
            Assert.That(Canonical(rows), Is.EqualTo(Canonical(await reader.QueryAsync(query, StatisticsSource.Facts))));
        }
        var byEmployer = await reader.QueryAsync(new StatisticsQuery { Division = DivisionCode.Parse("440000000000"), Employer = employer });
        Assert.That(byEmployer.Single().Signed, Is.EqualTo(history.Events.LongCount(e => e.Employer == employer && e.Action == ContractAction.Sign && e.Concluded == ContractAction.Register)));
    }

    [Test]
    public async Task A_database_of_schema_2_migrates_with_its_rollup_backfilled_from_the_facts()
    {
        // A database indexed by this build, taken back to schema 2 (no rollup, no flag), as an indexer of the previous build left it.
        var history = new ContractHistory(IndexingTests.TestNet, seed: 7, employers: 60);
        var (_, source, indexer) = await IndexingTests.NewIndex();
        await using var _ = source;
        Hash32? parent = null;
        foreach (var block in history.Blocks(totalEvents: 5_000, perBlock: 250, interval: TimeSpan.FromDays(18)))
            parent = await indexer.IndexAsync(block, parent);
        await Execute(source, "CREATE TABLE kept_rollup AS SELECT * FROM monthly_rollup");
        await Execute(source, "DROP TABLE monthly_rollup; ALTER TABLE index_checkpoint DROP COLUMN rollup; DELETE FROM schema_migrations WHERE version = 3");

        Assert.That(await SchemaMigrator.MigrateAsync(source), Is.EqualTo(new[] { 3 }));
        Assert.That(await Count(source, Rollup), Is.EqualTo(await Count(source, "SELECT * FROM kept_rollup")));
        Assert.That(await Difference(source, Rollup, "SELECT * FROM kept_rollup"), Is.Empty, "the backfill equals the rollup the indexer kept");
        Assert.That(await SchemaMigrator.MigrateAsync(source), Is.Empty, "applied once");

        // The indexer carries on from the migrated database.
        var store = new FactStore(source, IndexingTests.TestNet.ChainId, IndexScope.Observer);
        Assert.That((await store.InitializeAsync()).Height, Is.EqualTo(history.Height));
    }

    [Test]
    public async Task Without_the_rollup_the_statistics_read_the_facts_until_it_is_rebuilt()
    {
        var history = new ContractHistory(IndexingTests.TestNet, seed: 8, employers: 60);
        var source = NpgsqlDataSource.Create(PostgresFixture.Cluster.CreateDatabase());
        await using var _ = source;
        var store = new FactStore(source, IndexingTests.TestNet.ChainId, IndexScope.Observer, rollup: false);
        await store.InitializeAsync();
        var indexer = new ChainIndexer(null!, new BlockVerifier(IndexingTests.TestNet.Genesis), store);
        Hash32? parent = null;
        foreach (var block in history.Blocks(totalEvents: 3_000, perBlock: 250, interval: TimeSpan.FromDays(18)))
            parent = await indexer.IndexAsync(block, parent);
        Assert.That(await Count(source, Rollup), Is.Zero);

        var reader = new StatisticsReader(source);
        var query = new StatisticsQuery { Division = DivisionCode.Parse("440000000000"), GroupLevel = DivisionLevel.City, ByMonth = true };
        var facts = Canonical(await reader.QueryAsync(query, StatisticsSource.Facts));
        Assert.That(facts, Is.Not.Empty);
        Assert.That(Canonical(await reader.QueryAsync(query)), Is.EqualTo(facts), "the empty rollup is not read");

        await MonthlyRollup.RebuildAsync(source);
        Assert.That(await Difference(source, Rollup, MonthlyRollup.FromFactsSql), Is.Empty);
        Assert.That(Canonical(await reader.QueryAsync(query, StatisticsSource.Rollup)), Is.EqualTo(facts));
        Assert.That(Canonical(await reader.QueryAsync(query)), Is.EqualTo(facts));
    }

    /// <summary>Rows in one and not the other, either way (a multiset difference: duplicates count).</summary>
    internal static async Task<List<string>> Difference(NpgsqlDataSource source, string left, string right)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            $"(SELECT 'only left: ' || t::text FROM (({left}) EXCEPT ALL ({right})) t) UNION ALL (SELECT 'only right: ' || t::text FROM (({right}) EXCEPT ALL ({left})) t) LIMIT 10",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static async Task<long> Count(NpgsqlDataSource source, string sql)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM ({sql}) t", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(NpgsqlDataSource source, string sql)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static DateOnly LifecycleMonth(DateTimeOffset time) => Facts.LifecycleFact.MonthOf(time);

    /// <summary>An answer as text, breakdowns in name order (their order inside a row is no part of the answer), doubles to the last bit.</summary>
    internal static string[] Canonical(IReadOnlyList<StatisticsRow> rows) => rows.Select(r => string.Create(CultureInfo.InvariantCulture,
        $"{r.Division}|{r.Month}|{r.IndustrySection}|{r.Employer}|{r.Signed}|{r.PaperUploads}|{r.Changed}|{r.Renewed}|{r.Dissolved}|{r.Terminated}|{r.InForce}|{r.AverageTermDays:R}|{r.ProbationShare:R}|{Sorted(r.DissolvedByBasis)}|{Sorted(r.TerminatedByReason)}"))
        .ToArray();

    private static string Sorted(Dictionary<string, long> counts) =>
        string.Join(',', counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value.ToString(CultureInfo.InvariantCulture)));
}
