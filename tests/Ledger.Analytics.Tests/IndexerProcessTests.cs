using System.Diagnostics;
using Ledger.Client;
using Ledger.Core.Contracts;
using Ledger.Crypto;
using Ledger.TestKit;
using Npgsql;

namespace Ledger.Analytics.Tests;

/// <summary>
/// Issue 15 through real processes: a devnet node (a real <c>ledger node</c>) commits a history, <c>ledger indexer</c> follows it into a real
/// PostgreSQL (Debian's, a throw-away cluster), and — SIGKILLed 20 times while indexing, mostly with a block's
/// transaction open — ends with tables equal row for row to a clean run's, its monthly rollup equal to one recomputed from its facts.
/// </summary>
[NonParallelizable]
public class IndexerProcessTests
{
    /// <summary>Each table with what a row is: whole rows, except the warnings' serial ids (a sequence also advances in a transaction a kill aborts).</summary>
    private static readonly Dictionary<string, string> Tables = new()
    {
        ["index_checkpoint"] = "t::text", ["lifecycle_facts"] = "t::text", ["contracts"] = "t::text", ["employers"] = "t::text",
        ["divisions"] = "t::text", ["industries"] = "t::text", ["daily_closures"] = "t::text",
        ["monthly_rollup"] = "t::text",
        ["warnings"] = "(t.kind, t.division, t.employer_credit_code, t.raised_height, t.raised_at, t.observed, t.reference, t.detail)::text",
        ["warning_evidence"] = "(t.contract_id, t.tx_id, t.height, t.tx_index)::text",
    };

    [Test]
    public async Task Indexer_killed_20_times_while_indexing_ends_equal_to_a_clean_run()
    {
        using var devnet = await OneNodeDevnet.StartAsync();
        var postgres = PostgresFixture.Cluster;

        // A history of many blocks: contracts registered, signed by both parties, a fifth of them dissolved for economic
        // reasons (so art. 41 warnings are raised too), by 6 submitters each waiting for its commits.
        using var client = devnet.Connect(devnet.Employer);
        var chainId = devnet.Genesis.ChainId;
        var employer = devnet.Employer;
        var registered = 0;
        var dissolved = 0;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        async Task CommitAsync(Core.Transactions.TxEnvelope envelope)
        {
            var committed = await client.WaitForCommitAsync(await client.SubmitAsync(envelope), TimeSpan.FromSeconds(30));
            Assert.That(committed.Succeeded, Is.True, committed.Receipt.Message);
        }
        await Task.WhenAll(Enumerable.Range(0, 6).Select(submitter => Task.Run(async () =>
        {
            for (var i = 0; DateTime.UtcNow < until; i++)
            {
                var id = $"AN-{submitter}-{i}";
                var document = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(id));
                var register = new RegisterPayload
                {
                    ContractId = id, DocumentHash = document, DocumentFormat = DocumentFormat.Pdf, EmployerCreditCode = devnet.EmployerCreditCode.Value,
                    WorkerPseudonym = devnet.Worker.Certificate!.WorkerPseudonym!.Value,
                    Terms = new ContractTerms { Type = ContractType.OpenEnded, Start = ContractDate.Create(2026, 1, 1), PlaceOfWork = "440106000000", Industry = "I6510" },
                };
                await CommitAsync(new TransactionBuilder(chainId, register).SignStatement(employer.Certificate, employer.Key).Build(employer.Certificate, employer.Key));
                Interlocked.Increment(ref registered);
                await CommitAsync(new TransactionBuilder(chainId, new SignPayload { ContractId = id, Version = 1, DocumentHash = document })
                    .SignStatement(employer.Certificate, employer.Key).SignStatement(devnet.Worker.Certificate, devnet.Worker.Key).Build(employer.Certificate, employer.Key));
                if (i % 5 != 4) continue;
                await CommitAsync(new TransactionBuilder(chainId, new DissolvePayload
                {
                    ContractId = id, Version = 1, DocumentHash = document, Basis = DissolutionBasis.Art41Layoff, EffectiveDate = ContractDate.Create(2026, 6, 1),
                }).SignStatement(employer.Certificate, employer.Key).Build(employer.Certificate, employer.Key));
                Interlocked.Increment(ref dissolved);
            }
        })));
        var head = (await client.GetChainInfoAsync()).Height;
        Assert.That(head, Is.GreaterThan(60UL), "enough blocks to kill the indexer in the middle of them");

        var certificate = Path.Combine(devnet.Directory.FullName, "analytics-observer.pem");
        var key = Path.Combine(devnet.Directory.FullName, "analytics-observer.key");
        await File.WriteAllTextAsync(certificate, devnet.Observer.Certificate.ToPem());
        KeyFile.Save(key, devnet.Observer.Key, "observer-pass", KeyFileOptions.ForTests);
        var environment = new Dictionary<string, string> { ["OBSERVER_PASS"] = "observer-pass" };
        string[] Arguments(string database, bool bounded) =>
        [
            "indexer", "--node", devnet.GrpcAddress.ToString(), "--transport-ca", devnet.Transport.CaPath, "--postgres", database,
            "--genesis", devnet.GenesisPath, "--cert", certificate, "--key", key, "--passphrase-env", "OBSERVER_PASS",
            "--allow-weak-kdf", .. bounded ? new[] { "--until-height", head.ToString(System.Globalization.CultureInfo.InvariantCulture) } : [],
        ];

        var clean = postgres.CreateDatabase("clean");
        var (exit, output) = LedgerProcess.Run(environment, Arguments(clean, bounded: true));
        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(await Scalar(clean, "SELECT height FROM index_checkpoint"), Is.EqualTo((long)head));
        Assert.That(await Scalar(clean, "SELECT count(*) FROM lifecycle_facts WHERE action = 1"), Is.EqualTo((long)registered), "one fact per committed registration");
        Assert.That(await Scalar(clean, "SELECT count(*) FROM lifecycle_facts WHERE opened"), Is.EqualTo((long)registered), "each signed by both parties");
        Assert.That(await Scalar(clean, "SELECT count(*) FROM lifecycle_facts WHERE basis = 15"), Is.EqualTo((long)dissolved));
        Assert.That(await Scalar(clean, "SELECT count(*) FROM warnings"), Is.GreaterThan(0L), "a fifth laid off: the share rule fires");

        // A Bureau identity reads no whole blocks from a node: one line, exit 2, nothing indexed.
        var bureau = devnet.Issue("Analytics Bureau", Core.Identity.Role.Bureau, "440100");
        var bureauCertificate = Path.Combine(devnet.Directory.FullName, "analytics-bureau.pem");
        var bureauKey = Path.Combine(devnet.Directory.FullName, "analytics-bureau.key");
        await File.WriteAllTextAsync(bureauCertificate, bureau.Certificate.ToPem());
        KeyFile.Save(bureauKey, bureau.Key, "observer-pass", KeyFileOptions.ForTests);
        var bureauDatabase = postgres.CreateDatabase("bureau");
        var bureauArguments = Arguments(bureauDatabase, bounded: true);
        bureauArguments[Array.IndexOf(bureauArguments, certificate)] = bureauCertificate;
        bureauArguments[Array.IndexOf(bureauArguments, key)] = bureauKey;
        (exit, output) = LedgerProcess.Run(environment, bureauArguments);
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("PermissionDenied").And.Not.Contain("   at "), output);
        Assert.That(await Scalar(bureauDatabase, "SELECT count(*) FROM lifecycle_facts"), Is.Zero);

        var killed = postgres.CreateDatabase("killed");
        var midTransaction = 0;
        for (var kill = 0; kill < 20; kill++)
        {
            using var indexer = LedgerProcess.StartIn(null, environment, Arguments(killed, bounded: false));
            var before = await CheckpointOrZero(killed);
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                Assert.That(indexer.HasExited, Is.False, indexer.Output);
                Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromSeconds(90)), $"the indexer made no progress:\n{indexer.Output}");
                var progress = await CheckpointOrZero(killed);
                if (progress > 0 && await Scalar(postgres.ConnectionString(), "SELECT count(*) FROM pg_stat_activity WHERE datname = 'killed' AND state IN ('active', 'idle in transaction')") > 0)
                {
                    midTransaction++;
                    break;
                }
                if (progress > before) break;
            }
            indexer.Kill();
            Assert.That(await CheckpointOrZero(killed), Is.LessThan((long)head), $"kill {kill + 1} came after the indexer had caught up: the history is too short");
        }
        (exit, output) = LedgerProcess.Run(environment, Arguments(killed, bounded: true));
        Assert.That(exit, Is.EqualTo(0), output);
        TestContext.Out.WriteLine($"{head} blocks, {registered} contracts, {dissolved} laid off; {midTransaction} of 20 kills with a transaction of the indexer open");

        foreach (var (table, row) in Tables)
        {
            var sql = $"SELECT count(*)::text || ':' || coalesce(md5(string_agg({row}, '|' ORDER BY {row})), '') FROM {table} t";
            var expected = await Text(clean, sql);
            var actual = await Text(killed, sql);
            Assert.That(actual, Is.EqualTo(expected), $"table {table} after 20 kills differs from the clean run");
        }
        // The rollup the killed indexer kept block by block is the one its facts give, row for row.
        var rollup = "SELECT * FROM monthly_rollup";
        var differing = $"SELECT count(*) FROM ((({rollup}) EXCEPT ALL ({Indexing.MonthlyRollup.FromFactsSql})) UNION ALL (({Indexing.MonthlyRollup.FromFactsSql}) EXCEPT ALL ({rollup}))) d";
        Assert.That(await Scalar(killed, "SELECT count(*) FROM monthly_rollup"), Is.GreaterThan(0L));
        Assert.That(await Scalar(killed, differing), Is.Zero, "the rollup after 20 kills differs from one recomputed from its facts");
        Assert.That(await Scalar(killed, "SELECT count(*) FROM index_checkpoint WHERE rollup"), Is.EqualTo(1L));
    }

    private static async Task<long> CheckpointOrZero(string database)
    {
        try
        {
            return await Scalar(database, "SELECT coalesce((SELECT height FROM index_checkpoint), 0)");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private static async Task<long> Scalar(string database, string sql) => Convert.ToInt64(await Query(database, sql), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> Text(string database, string sql) => (string)(await Query(database, sql))!;

    private static async Task<object?> Query(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
