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
/// <c>dotnet run -c Release --project tests/Ledger.Benchmarks -- analytics [--events N] [--compare-events M] [--copies K] [--queries Q] [--fact-queries F]</c>:
/// a throw-away PostgreSQL cluster (fsync on), N generated events (two years, 21 cities) indexed block by block through the
/// indexer's own path (certificate check, one transaction per block with its checkpoint and monthly rollup) — events/s
/// against the province's peak of ~100 events/s. The first M events are indexed twice, block by block in alternating order,
/// into a second database whose indexer keeps no rollup: the rollup's cost under the same load. Then the fact table grown
/// to K times its size by copies of every fact under new contract ids (a denser province, the same distributions), the
/// rollup rebuilt from it, and a province-wide year's statistics (by city and month, with the basis and reason
/// breakdowns and in-force counts) run F times from the facts and Q times from the rollup, answers compared: p50, p99.
/// </summary>
internal static class AnalyticsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = Option(args, "--events", 1_000_000);
        var compare = Math.Min(events, Option(args, "--compare-events", 100_000));
        var copies = Option(args, "--copies", 10);
        var queries = Option(args, "--queries", 30);
        var factQueries = Option(args, "--fact-queries", 10);
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
        using var cluster = PostgresCluster.Start(new Dictionary<string, string> { ["shared_buffers"] = "1GB", ["work_mem"] = "64MB", ["max_wal_size"] = "4GB" });
        await using var source = NpgsqlDataSource.Create(cluster.CreateDatabase("bench"));
        await using var withoutSource = NpgsqlDataSource.Create(cluster.CreateDatabase("bench_without_rollup"));
        var network = TestNetwork.Create(4);
        var store = new FactStore(source, network.ChainId, IndexScope.Observer);
        await store.InitializeAsync();
        var without = new FactStore(withoutSource, network.ChainId, IndexScope.Observer, rollup: false);
        await without.InitializeAsync();
        var indexer = new ChainIndexer(null!, new BlockVerifier(network.Genesis), store);
        var indexerWithout = new ChainIndexer(null!, new BlockVerifier(network.Genesis), without);
        var history = new ContractHistory(network, seed: 15, employers: Math.Max(300, events / 300));
        const int perBlock = 250;
        var interval = TimeSpan.FromTicks(TimeSpan.FromDays(730).Ticks / Math.Max(1, events / perBlock));
        var indexing = new Stopwatch();
        var comparedWith = new Stopwatch();
        var comparedWithout = new Stopwatch();
        var comparedEvents = 0;
        var total = Stopwatch.StartNew();
        Hash32? parent = null;
        Hash32? parentWithout = null;
        foreach (var block in history.Blocks(events, perBlock, interval))
        {
            if (comparedEvents < compare)
            {
                // Alternate which database goes first, so neither always meets a warmer cache or a quieter moment.
                async Task WithoutRollup()
                {
                    comparedWithout.Start();
                    parentWithout = await indexerWithout.IndexAsync(block, parentWithout);
                    comparedWithout.Stop();
                }
                if (history.Height % 2 == 0) await WithoutRollup();
                comparedWith.Start();
                indexing.Start();
                parent = await indexer.IndexAsync(block, parent);
                indexing.Stop();
                comparedWith.Stop();
                if (history.Height % 2 == 1) await WithoutRollup();
                comparedEvents = history.Events.Count;
            }
            else
            {
                indexing.Start();
                parent = await indexer.IndexAsync(block, parent);
                indexing.Stop();
            }
            if (history.Height % 400 == 0) Console.WriteLine($"  {history.Events.Count:N0} events, {history.Events.Count / indexing.Elapsed.TotalSeconds:0} events/s, {total.Elapsed.TotalSeconds:0} s");
        }
        var rate = history.Events.Count / indexing.Elapsed.TotalSeconds;
        Console.WriteLine($"indexed {history.Events.Count:N0} events in {history.Height:N0} blocks with the rollup: {indexing.Elapsed.TotalSeconds:0.0} s indexing ({rate:0} events/s, {rate / 100:0.0}× the peak of 100 events/s); {total.Elapsed.TotalSeconds:0} s with generation");
        Console.WriteLine($"the first {comparedEvents:N0} events into both databases, block by block: with the rollup {comparedEvents / comparedWith.Elapsed.TotalSeconds:0} events/s, without {comparedEvents / comparedWithout.Elapsed.TotalSeconds:0} events/s");

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
            var rebuild = Stopwatch.StartNew();
            await MonthlyRollup.RebuildAsync(source);
            Console.WriteLine($"rollup rebuilt from the grown facts in {rebuild.Elapsed.TotalSeconds:0.0} s");
            await using var analyze = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 0 };
            await analyze.ExecuteNonQueryAsync();
            await using var count = new NpgsqlCommand("SELECT (SELECT count(*) FROM lifecycle_facts), (SELECT count(*) FROM monthly_rollup), (SELECT count(*) FROM monthly_rollup WHERE level = 2)", connection);
            await using var counted = await count.ExecuteReaderAsync();
            await counted.ReadAsync();
            Console.WriteLine($"fact table: {counted.GetInt64(0):N0} rows ({copies} × the indexed history); rollup: {counted.GetInt64(1):N0} rows, {counted.GetInt64(2):N0} of them at city level");
        }

        var reader = new StatisticsReader(source);
        var year = history.Start.AddDays(400);
        var query = new StatisticsQuery
        {
            Division = DivisionCode.Parse("440000000000"), GroupLevel = DivisionLevel.City, ByMonth = true,
            FromMonth = new DateOnly(year.Year, 1, 1), ToMonth = new DateOnly(year.Year, 12, 1),
        };
        string? factsAnswer = null;
        string? rollupAnswer = null;
        foreach (var (statisticsSource, runs) in new[] { (StatisticsSource.Facts, factQueries), (StatisticsSource.Rollup, queries) })
        {
            var times = new List<double>();
            var rows = 0;
            for (var i = 0; i < runs + 2; i++)
            {
                var watch = Stopwatch.StartNew();
                var answer = await reader.QueryAsync(query, statisticsSource);
                if (i >= 2) times.Add(watch.Elapsed.TotalMilliseconds); // two warm-up runs
                rows = answer.Count;
                var text = Canonical(answer);
                if (statisticsSource == StatisticsSource.Facts) factsAnswer = text;
                else rollupAnswer = text;
            }
            times.Sort();
            double Percentile(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"province-wide statistics of {year.Year} by city and month from the {statisticsSource} ({rows} rows), {times.Count} runs: p50 {Percentile(0.5):0.0} ms, p99 {Percentile(0.99):0.0} ms, max {times[^1]:0.0} ms"));
        }
        Console.WriteLine($"the two answers are {(factsAnswer == rollupAnswer ? "identical" : "DIFFERENT")} ({factsAnswer!.Length:N0} characters as text)");
        Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        return factsAnswer == rollupAnswer ? 0 : 1;
    }

    /// <summary>The answer as text, breakdowns in name order (their order in a row is not part of the answer), doubles round-trip exact.</summary>
    private static string Canonical(IReadOnlyList<StatisticsRow> rows) => string.Join('\n', rows.Select(r => string.Create(CultureInfo.InvariantCulture,
        $"{r.Division}|{r.Month}|{r.IndustrySection}|{r.Employer}|{r.Signed}|{r.PaperUploads}|{r.Changed}|{r.Renewed}|{r.Dissolved}|{r.Terminated}|{r.InForce}|{r.AverageTermDays:R}|{r.ProbationShare:R}|{Sorted(r.DissolvedByBasis)}|{Sorted(r.TerminatedByReason)}")));

    private static string Sorted(Dictionary<string, long> counts) =>
        string.Join(',', counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value.ToString(CultureInfo.InvariantCulture)));

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
