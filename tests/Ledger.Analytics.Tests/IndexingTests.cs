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
    public async Task Generated_history_of_all_21_cities_gives_exact_counts_at_all_five_levels()
    {
        var generation = System.Diagnostics.Stopwatch.StartNew();
        var history = new ContractHistory(TestNet, seed: 15, employers: 300);
        TestContext.Out.WriteLine($"employers in {generation.Elapsed.TotalSeconds:0.0} s");
        var (_, source, indexer) = await NewIndex();
        await using var _ = source;
        var blocks = history.Blocks(totalEvents: 50_000, perBlock: 250, interval: TimeSpan.FromHours(9)).ToArray();
        TestContext.Out.WriteLine($"history in {generation.Elapsed.TotalSeconds:0.0} s");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Hash32? parent = null;
        foreach (var block in blocks)
            parent = await indexer.IndexAsync(block, parent);
        TestContext.Out.WriteLine($"indexed {history.Events.Count} events in {blocks.Length} blocks in {watch.Elapsed.TotalSeconds:0.0} s");

        Assert.That(history.Events, Has.Count.EqualTo(50_000));
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
        }
    }
}
