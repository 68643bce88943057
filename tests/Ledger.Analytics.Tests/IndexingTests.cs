using Ledger.Analytics.Indexing;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.TestKit.Builders;
using Npgsql;

namespace Ledger.Analytics.Tests;

public class IndexingTests
{
    private static readonly Lazy<TestNetwork> Network = new(() => TestNetwork.Create(4));

    internal static async Task<(FactStore Store, NpgsqlDataSource Source, ChainIndexer Indexer)> NewIndex(IndexScope? scope = null, Warnings.WarningOptions? warnings = null)
    {
        var source = NpgsqlDataSource.Create(PostgresFixture.Cluster.CreateDatabase());
        var store = new FactStore(source, Network.Value.ChainId, scope ?? IndexScope.Observer, warnings);
        await store.InitializeAsync();
        return (store, source, new ChainIndexer(null!, new BlockVerifier(Network.Value.Genesis), store));
    }

    internal static TestNetwork TestNet => Network.Value;

    [Test]
    public Task Generated_history_of_all_21_cities_gives_exact_counts_at_all_five_levels() => Generated_history(50_000, 300);

    [Test]
    [Category("Long")]
    public Task Generated_history_of_a_million_events_gives_exact_counts_at_all_five_levels() => Generated_history(1_000_000, 3_000);

    private static async Task Generated_history(int events, int employers)
    {
        var generation = System.Diagnostics.Stopwatch.StartNew();
        var history = new ContractHistory(TestNet, seed: 15, employers: employers);
        TestContext.Out.WriteLine($"employers in {generation.Elapsed.TotalSeconds:0.0} s");
        var (_, source, indexer) = await NewIndex();
        await using var _ = source;
        // Two years of history whatever its size; blocks are made as they are indexed (a million events do not sit in memory as blocks).
        var perBlock = 250;
        var interval = TimeSpan.FromTicks(TimeSpan.FromDays(730).Ticks / (events / perBlock));
        var watch = new System.Diagnostics.Stopwatch();
        Hash32? parent = null;
        foreach (var block in history.Blocks(totalEvents: events, perBlock: perBlock, interval: interval))
        {
            watch.Start();
            parent = await indexer.IndexAsync(block, parent);
            watch.Stop();
        }
        TestContext.Out.WriteLine($"generated and indexed in {generation.Elapsed.TotalSeconds:0.0} s; indexing alone {history.Events.Count} events in {history.Height} blocks in {watch.Elapsed.TotalSeconds:0.0} s ({history.Events.Count / watch.Elapsed.TotalSeconds:0} events/s)");

        Assert.That(history.Events, Has.Count.EqualTo(events));
        await using var connection = await source.OpenConnectionAsync();
        foreach (var level in Enum.GetValues<DivisionLevel>())
        {
            var column = Warnings.WarningDetector.LevelColumn(level);
            var expected = history.Events
                .GroupBy(e => (Division: DivisionCode.Parse(e.Village).AtLevel(level).Value, e.Action))
                .ToDictionary(g => g.Key, g => (long)g.Count());
            var actual = new Dictionary<(string, ContractAction), long>();
            await using var command = new NpgsqlCommand($"SELECT {column}, action, count(*) FROM lifecycle_facts GROUP BY 1, 2", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                actual[(reader.GetString(0), (ContractAction)reader.GetInt16(1))] = reader.GetInt64(2);
            var wrong = expected.Where(e => actual.GetValueOrDefault(e.Key) != e.Value).Select(e => $"{e.Key}: {actual.GetValueOrDefault(e.Key)} != {e.Value}")
                .Concat(actual.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"{k}: unexpected"))
                .Take(10).ToArray();
            Assert.That(wrong, Is.Empty, $"counts by {level} ({expected.Count} groups)");
            if (level == DivisionLevel.City) Assert.That(actual.Keys.Select(k => k.Item1).Distinct().Count(), Is.EqualTo(21), "all 21 cities");

            // The statistics the service serves, grouped at this level over the province: signed, paper, dissolved, terminated, in force.
            // Both ways: from the monthly rollup (what the service reads for this query) and from the facts.
            foreach (var statisticsSource in new[] { Statistics.StatisticsSource.Rollup, Statistics.StatisticsSource.Facts })
            {
                var rows = await new Statistics.StatisticsReader(source).QueryAsync(new Statistics.StatisticsQuery { Division = DivisionCode.Parse("440000000000"), GroupLevel = level }, statisticsSource);
                var byDivision = history.Events.GroupBy(e => DivisionCode.Parse(e.Village).AtLevel(level).Value).ToDictionary(g => g.Key);
                Assert.That(rows.Select(r => r.Division), Is.EquivalentTo(byDivision.Keys), $"divisions at {level} from the {statisticsSource}");
                foreach (var row in rows)
                {
                    var group = byDivision[row.Division!];
                    var expectedRow = (
                        Signed: group.LongCount(e => e.Action == ContractAction.Sign && e.Concluded == ContractAction.Register),
                        Paper: group.LongCount(e => e.Action == ContractAction.UploadPaper),
                        Renewed: group.LongCount(e => e.Concluded == ContractAction.Renew),
                        Dissolved: group.LongCount(e => e.Action == ContractAction.Dissolve),
                        Layoffs: group.LongCount(e => e.Basis == Core.Contracts.DissolutionBasis.Art41Layoff),
                        Terminated: group.LongCount(e => e.Action == ContractAction.Terminate),
                        InForce: group.LongCount(e => e.Opened) - group.LongCount(e => e.Closed));
                    var actualRow = (row.Signed, row.PaperUploads, row.Renewed, row.Dissolved, row.DissolvedByBasis.GetValueOrDefault("art41-layoff"), row.Terminated, row.InForce);
                    Assert.That(actualRow, Is.EqualTo(expectedRow), $"statistics of {row.Division} at {level} from the {statisticsSource}");
                }
            }
        }
    }
}
