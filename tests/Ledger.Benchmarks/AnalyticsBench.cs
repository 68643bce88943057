using System.Diagnostics;
using System.Globalization;
using Ledger.Analytics.Indexing;
using Ledger.Analytics.Statistics;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.TestKit;
using Ledger.TestKit.Builders;
using Npgsql;

namespace Ledger.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/Ledger.Benchmarks -- analytics [--events N] [--copies K] [--queries Q]</c>: a
/// throw-away PostgreSQL cluster (fsync on, Debian's defaults otherwise), N generated events (two years, 21 cities)
/// indexed block by block through the indexer's own path (certificate check, one transaction per block with its
/// checkpoint) — events/s against the province's peak of ~100 events/s; then the fact table grown to K times its size
/// by copies of every fact under new contract ids (a denser province, the same distributions), and Q runs of a
/// province-wide year's statistics (by city and month, with the basis and reason breakdowns and in-force counts): p50, p99.
/// </summary>
internal static class AnalyticsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = Option(args, "--events", 1_000_000);
        var copies = Option(args, "--copies", 10);
        var queries = Option(args, "--queries", 30);
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
        using var cluster = PostgresCluster.Start(new Dictionary<string, string> { ["shared_buffers"] = "1GB", ["work_mem"] = "64MB", ["max_wal_size"] = "4GB" });
        var database = cluster.CreateDatabase("bench");
        await using var source = NpgsqlDataSource.Create(database);
        var network = TestNetwork.Create(4);
        var store = new FactStore(source, network.ChainId, IndexScope.Observer);
        await store.InitializeAsync();
        var indexer = new ChainIndexer(null!, new BlockVerifier(network.Genesis), store);
        var history = new ContractHistory(network, seed: 15, employers: Math.Max(300, events / 300));
        const int perBlock = 250;
        var interval = TimeSpan.FromTicks(TimeSpan.FromDays(730).Ticks / Math.Max(1, events / perBlock));
        var indexing = new Stopwatch();
        var total = Stopwatch.StartNew();
        Hash32? parent = null;
        foreach (var block in history.Blocks(events, perBlock, interval))
        {
            indexing.Start();
            parent = await indexer.IndexAsync(block, parent);
            indexing.Stop();
            if (history.Height % 400 == 0) Console.WriteLine($"  {history.Events.Count:N0} events, {history.Events.Count / indexing.Elapsed.TotalSeconds:0} events/s");
        }
        var rate = history.Events.Count / indexing.Elapsed.TotalSeconds;
        Console.WriteLine($"indexed {history.Events.Count:N0} events in {history.Height:N0} blocks: {indexing.Elapsed.TotalSeconds:0.0} s indexing ({rate:0} events/s, {rate / 100:0.0}× the peak of 100 events/s); {total.Elapsed.TotalSeconds:0} s with generation");

        await using (var connection = await source.OpenConnectionAsync())
        {
            for (var copy = 1; copy < copies; copy++)
            {
                await using var command = new NpgsqlCommand(
                    $"""
                    INSERT INTO lifecycle_facts
                    SELECT height + {copy} * 100000000, tx_index, tx_id, block_time, month, action, contract_id || '/{copy}', version, employer_credit_code,
                           province, city, county, town, village, industry_section, industry_class, contract_type, probation, term_days, basis, reason,
                           effective_date, worker_pseudonym, employer_signed, worker_signed, concluded, opened, closed
                    FROM lifecycle_facts WHERE height < 100000000
                    """, connection) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync();
            }
            await using var analyze = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 0 };
            await analyze.ExecuteNonQueryAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM lifecycle_facts", connection);
            Console.WriteLine($"fact table: {(long)(await count.ExecuteScalarAsync())!:N0} rows ({copies} × the indexed history)");
        }

        var reader = new StatisticsReader(source);
        var year = history.Start.AddDays(400);
        var query = new StatisticsQuery
        {
            Division = DivisionCode.Parse("440000000000"), GroupLevel = DivisionLevel.City, ByMonth = true,
            FromMonth = new DateOnly(year.Year, 1, 1), ToMonth = new DateOnly(year.Year, 12, 1),
        };
        var times = new List<double>();
        var rows = 0;
        for (var i = 0; i < queries + 2; i++)
        {
            var watch = Stopwatch.StartNew();
            rows = (await reader.QueryAsync(query)).Count;
            if (i >= 2) times.Add(watch.Elapsed.TotalMilliseconds); // two warm-up runs
        }
        times.Sort();
        double Percentile(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"province-wide statistics of {year.Year} by city and month ({rows} rows), {times.Count} runs: p50 {Percentile(0.5):0} ms, p99 {Percentile(0.99):0} ms, max {times[^1]:0} ms"));
        Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
