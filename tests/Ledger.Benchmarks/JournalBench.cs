using System.Diagnostics;
using System.Globalization;
using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Journal;
using Ledger.Chain.Pool;
using Ledger.Chaincode;
using Ledger.Crypto;
using Ledger.Storage;
using Ledger.TestKit.Network;

namespace Ledger.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/Ledger.Benchmarks -- journal [--txs N] [--concurrency C]`: what making an
/// acknowledged tx durable costs. The same pre-signed txs are submitted through admission, pool and (or not) the tx
/// journal on a fresh one-validator chain, C at a time, alternating the two modes in one run; then the journal alone,
/// group-committed against one fsync per tx. Prints one markdown table.
/// </summary>
internal static class JournalBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var txs = Option(args, "--txs", 4000);
        var concurrency = Option(args, "--concurrency", 64);
        var consortium = new TestConsortium();
        Console.WriteLine($"signing {txs} register txs (employer body + statement signatures)...");
        var envelopes = Enumerable.Range(0, txs).AsParallel().Select(i => consortium.Transaction(
            consortium.Register($"GZ-BENCH-{i}", Sm3.Hash(BitConverter.GetBytes(i))), consortium.Employer, [consortium.Employer]).Encode()).ToArray();
        var directory = Directory.CreateTempSubdirectory("ledger-journal-bench-");
        try
        {
            var without = new List<double>();
            var with = new List<double>();
            long writes = 0;
            for (var repeat = 0; repeat < 3; repeat++)
            {
                without.Add(await SubmitAllAsync(consortium, envelopes, concurrency, null));
                var path = Path.Combine(directory.FullName, $"tx.journal.{repeat}");
                using var journal = new TxJournal(path);
                with.Add(await SubmitAllAsync(consortium, envelopes, concurrency, journal));
                writes = journal.Writes;
            }
            var groupRate = await JournalOnlyAsync(Path.Combine(directory.FullName, "group"), envelopes, concurrency);
            var single = OneFsyncPerTx(Path.Combine(directory.FullName, "single"), envelopes.Take(Math.Min(500, envelopes.Length)).ToArray());

            var best = without.Max();
            var journaled = with.Max();
            string F(double v) => v.ToString("#,0", CultureInfo.InvariantCulture);
            Console.WriteLine($"load average while measuring: {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine();
            Console.WriteLine($"| measure ({txs} txs, {concurrency} concurrent, best of 3) | value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| Submit tx/s, no journal (admission: 2 SM2 verifies per tx) | {F(best)} |");
            Console.WriteLine($"| Submit tx/s, journaled (OK after fsync) | {F(journaled)} |");
            Console.WriteLine($"| ratio journaled / no journal | {(journaled / best).ToString("0.00", CultureInfo.InvariantCulture)} |");
            Console.WriteLine($"| added cost per tx, µs | {(1e6 / journaled - 1e6 / best).ToString("0.0", CultureInfo.InvariantCulture)} |");
            Console.WriteLine($"| fsyncs for {txs} journaled submits (last run) | {F(writes)} |");
            Console.WriteLine($"| journal alone, group commit: entries/s | {F(groupRate)} |");
            Console.WriteLine($"| journal alone, one fsync per tx: entries/s | {F(single)} |");
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<double> SubmitAllAsync(TestConsortium consortium, byte[][] envelopes, int concurrency, ITxJournal? journal)
    {
        var hasher = Sm3Hasher.Instance;
        using var kv = new InMemoryKeyValueStore();
        var store = new BlockStore(kv, hasher);
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var admission = new TxAdmission(consortium.ChainId, chaincode, new CertificateRegistry(consortium.ChainValidator(), hasher), hasher, new StoreReplayIndex(store));
        var chain = new LedgerChain("bench", consortium.Genesis, consortium.GenesisBytes, store, admission,
            new Mempool(new MempoolOptions { MaxTransactions = envelopes.Length + 1 }), new Ledger.Chain.Governance.ValidatorSets(consortium.Genesis, hasher), hasher, TimeProvider.System, new ChainMetrics(), journal);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < envelopes.Length; i = Interlocked.Increment(ref next))
            {
                var result = await chain.SubmitAsync(envelopes[i]);
                if (!result.Accepted) throw new InvalidOperationException($"tx {i} refused: {result.Result}");
            }
        })));
        return envelopes.Length / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> JournalOnlyAsync(string path, byte[][] envelopes, int concurrency)
    {
        using var journal = new TxJournal(path);
        var entries = envelopes.Select(e => new JournalEntry(Sm3.Hash(e), DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(), e)).ToArray();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < entries.Length; i = Interlocked.Increment(ref next)) await journal.AppendAsync(entries[i]);
        })));
        return entries.Length / clock.Elapsed.TotalSeconds;
    }

    private static double OneFsyncPerTx(string path, byte[][] envelopes)
    {
        using var log = new AppendLog(path);
        var clock = Stopwatch.StartNew();
        foreach (var envelope in envelopes) log.Append(envelope);
        return envelopes.Length / clock.Elapsed.TotalSeconds;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
