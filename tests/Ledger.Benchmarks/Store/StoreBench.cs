using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chain.Revocation;
using Ledger.Chaincode;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Crypto;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Ledger.Storage;

namespace Ledger.Benchmarks.Store;

/// <summary>
/// `dotnet run -c Release --project tests/Ledger.Benchmarks -- store [--events N] [--checkpoints A,B,..] [--block B]
/// [--stores litedb,rocksdb] [--dir DIR] [--samples S] [--chunk C] [--keep]`: years of a province in one validator's store
/// (issue 18). A seeded <see cref="ProvinceHistory"/> plans events over the 21 cities; each chunk is signed in parallel
/// (real SM2 endorsements), admitted once by the real <see cref="TxAdmission"/> (every certificate and signature checked),
/// then executed by the real <see cref="BlockExecutor"/> and committed by <see cref="LedgerChain.Commit"/> into each store
/// in turn — the same txs, side by side, under the same machine load. At each checkpoint, for each store: lookups by
/// document hash, contract reads and tx proofs of random committed txs (p50/p99), bytes on disk per event and where the
/// logical bytes go, and the real <see cref="NodeRuntime.Open"/> timed in a child process with its RSS after opening.
/// Prints markdown tables.
/// </summary>
internal static partial class StoreBench
{
    private const string Passphrase = "store-bench";

    private sealed class Engine(string name, string root)
    {
        public string Name { get; } = name;

        /// <summary>"litedb" or "rocksdb"; a name ending in "-whole" stores blocks whole (the form before issue 18) as a baseline.</summary>
        public string Kind => Name.Split('-')[0];

        public bool CompactCertificates => !Name.EndsWith("-whole", StringComparison.Ordinal);
        public string Root { get; } = root;
        public string ConfigPath => Path.Combine(Root, "config.json");
        public string DataDir => Path.Combine(Root, "data");
        public CountingStore Kv { get; set; } = null!;
        public LedgerChain Chain { get; set; } = null!;
        public List<double> BlockMs { get; } = [];
        public double CommitMs { get; set; }
        public long CommittedTxs { get; set; }
    }

    private sealed record Sample(Hash32 TxId, Hash32 Document, string ContractId);

    public static async Task<int> RunAsync(string[] args)
    {
        var events = Option(args, "--events", 250_000);
        var checkpoints = (Text(args, "--checkpoints") ?? events.ToString(CultureInfo.InvariantCulture)).Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).Where(c => c <= events).ToList();
        if (!checkpoints.Contains(events)) checkpoints.Add(events);
        var blockSize = Option(args, "--block", 500);
        var chunk = Option(args, "--chunk", 10_000);
        var samples = Option(args, "--samples", 400);
        var stores = (Text(args, "--stores") ?? "litedb,rocksdb").Split(',');
        var keep = args.Contains("--keep");
        var dir = Text(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "ledger-store-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
        {
            await Console.Error.WriteLineAsync($"store bench: {dir} is not empty");
            return 2;
        }
        Directory.CreateDirectory(dir);

        Console.WriteLine($"identities: root CA, 21 city CAs, 1 validator, employers and workers ({DateTimeOffset.UtcNow:u})...");
        var history = new ProvinceHistory(seed: 18, employers: Option(args, "--employers", 2_000), workers: Option(args, "--workers", 20_000));
        var hasher = Sm3Hasher.Instance;
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var trust = history.ChainValidator();
        var executor = new BlockExecutor(history.ChainId, chaincode, hasher, new CrlPublication(trust.Authorities));
        var sealer = new BlockSealer(history.ChainId, new NodeIdentity("guangdong", history.Validator.Certificate!, history.ValidatorKey));
        var engines = stores.Select(s => new Engine(s, Path.Combine(dir, s))).ToArray();
        foreach (var engine in engines)
        {
            WriteNodeFiles(engine, history);
            Open(engine, history, hasher, chaincode, trust, counting: null);
        }
        var admission = new TxAdmission(history.ChainId, chaincode, new CertificateRegistry(trust, hasher), hasher, new StoreReplayIndex(engines[0].Chain.Store));

        var verifyRate = Sm2VerifyRate();
        Console.WriteLine($"SM2 verify/s on one core (baseline, this run): {verifyRate:N0}");
        var reservoir = new List<Sample>();
        var random = new Random(7);
        long seen = 0, refused = 0, endorsements = 0, certificateBytes = 0, envelopeBytes = 0;
        var refusedBy = new Dictionary<string, int>();
        double signSeconds = 0, admitSeconds = 0;
        var results = new List<string>();
        var done = 0;
        foreach (var checkpoint in checkpoints)
        {
            while (done < checkpoint)
            {
                var count = Math.Min(chunk, checkpoint - done);
                var now = DateTimeOffset.UtcNow;
                var planned = history.Plan(count, now);
                var clock = Stopwatch.StartNew();
                var expires = now.AddMinutes(30);
                var envelopes = planned.AsParallel().AsOrdered().Select(p => history.Sign(p, expires)).ToArray();
                signSeconds += clock.Elapsed.TotalSeconds;
                clock.Restart();
                var admitted = envelopes.AsParallel().AsOrdered().Select(e => admission.Admit(e, DateTimeOffset.UtcNow)).ToArray();
                admitSeconds += clock.Elapsed.TotalSeconds;
                var failed = admitted.FirstOrDefault(a => a.Tx is null);
                if (failed is not null) throw new InvalidOperationException($"admission refused a generated tx: {failed.Result}");
                foreach (var a in admitted)
                {
                    envelopeBytes += a.Tx!.Size;
                    foreach (var e in a.Tx.Envelope.Endorsements)
                    {
                        endorsements++;
                        certificateBytes += e.Certificate.Length;
                    }
                }

                for (var start = 0; start < admitted.Length; start += blockSize)
                {
                    var candidates = admitted.Skip(start).Take(blockSize).Select(a => a.Tx!).ToArray();
                    for (var e = 0; e < engines.Length; e++)
                    {
                        var engine = engines[e];
                        var blockClock = Stopwatch.StartNew();
                        var executed = CommitBlock(engine.Chain, executor, sealer, candidates);
                        var ms = blockClock.Elapsed.TotalMilliseconds;
                        engine.BlockMs.Add(ms);
                        engine.CommitMs += ms;
                        engine.CommittedTxs += executed.Transactions.Count;
                        if (e != 0) continue;
                        for (var i = 0; i < executed.Block.Receipts.Count; i++)
                        {
                            var receipt = executed.Block.Receipts[i];
                            if (receipt.Code != ErrorCode.Ok)
                            {
                                refused++;
                                var action = planned[start + i].Action.ToString() + " " + receipt.Code;
                                refusedBy[action] = refusedBy.GetValueOrDefault(action) + 1;
                                continue;
                            }
                            var index = executed.Index[i];
                            if (index.DocumentHash is not { } document || index.ContractId is null) continue;
                            // Reservoir sampling: every committed contract tx equally likely to be looked up.
                            seen++;
                            var sample = new Sample(index.TxId, document, index.ContractId);
                            if (reservoir.Count < 4 * samples) reservoir.Add(sample);
                            else if (random.NextInt64(seen) is var slot && slot < reservoir.Count) reservoir[(int)slot] = sample;
                        }
                    }
                }
                done += count;
                Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {done:N0} events; " + string.Join("; ", engines.Select(e =>
                    $"{e.Name} {e.CommitMs / e.CommittedTxs * 1000:F0} µs/tx commit, last block {e.BlockMs[^1]:F0} ms")) + $"; load {LoadAverage()}");
            }

            Console.WriteLine($"checkpoint {checkpoint:N0}: measuring...");
            var picks = Enumerable.Range(0, samples).Select(_ => reservoir[random.Next(reservoir.Count)]).ToArray();
            foreach (var engine in engines) MeasureLookups(engine.Chain, picks.Take(20).ToArray()); // JIT and first-touch warm-up, not measured
            foreach (var engine in engines)
            {
                var lookups = MeasureLookups(engine.Chain, picks);
                var (diskBytes, files) = DiskBytes(engine.DataDir);
                var logical = engine.Kv.TotalBytes;
                // Close, time the real node start in a child process (open store, chain, journal, genesis checks), reopen.
                engine.Kv.Dispose();
                var start = ProbeNodeStart(engine.ConfigPath, picks.Take(50).Select(p => p.TxId.ToString()).ToArray());
                Open(engine, history, hasher, chaincode, trust, engine.Kv);
                var row = new Dictionary<string, object>
                {
                    ["store"] = engine.Name,
                    ["events"] = checkpoint,
                    ["commitUsPerTx"] = engine.CommitMs / engine.CommittedTxs * 1000,
                    ["blockMsP50"] = Percentile(engine.BlockMs, 0.5),
                    ["blockMsP99"] = Percentile(engine.BlockMs, 0.99),
                    ["findByDocumentMs"] = new[] { Percentile(lookups.Find, 0.5), Percentile(lookups.Find, 0.99) },
                    ["getContractMs"] = new[] { Percentile(lookups.Contract, 0.5), Percentile(lookups.Contract, 0.99) },
                    ["proofMs"] = new[] { Percentile(lookups.Proof, 0.5), Percentile(lookups.Proof, 0.99) },
                    ["diskBytes"] = diskBytes,
                    ["diskFiles"] = files,
                    ["diskBytesPerEvent"] = (double)diskBytes / checkpoint,
                    ["logicalBytesPerEvent"] = (double)logical / checkpoint,
                    ["startMs"] = start.StartMs,
                    ["rssMbAtRest"] = start.RssMb,
                    ["rssMbAfterReads"] = start.RssAfterReadsMb,
                    ["breakdown"] = Breakdown(engine.Kv, checkpoint),
                    ["load"] = LoadAverage(),
                    ["time"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
                };
                var json = JsonSerializer.Serialize(row);
                results.Add(json);
                Console.WriteLine("RESULT " + json);
            }
            _ = endorsements; // printed below
            Console.WriteLine($"so far: sign {signSeconds * 1e6 / done:F0} µs/tx wall (parallel), admission {admitSeconds * 1e6 / done:F0} µs/tx wall (parallel), " +
                              $"{refused:N0} refused by the chaincode ({string.Join(", ", refusedBy.OrderByDescending(r => r.Value).Take(6).Select(r => $"{r.Key}: {r.Value}"))}), " +
                              $"{(double)endorsements / done:F2} endorsements/tx, certificates {certificateBytes * 100.0 / envelopeBytes:F0} % of tx bytes ({(double)envelopeBytes / done:F0} B/tx)");
        }

        Print(results, verifyRate, (double)envelopeBytes / done, (double)certificateBytes / done, (double)endorsements / done, signSeconds * 1e6 / done, admitSeconds * 1e6 / done, refused, done);
        foreach (var engine in engines) engine.Kv.Dispose();
        if (!keep) Directory.Delete(dir, recursive: true);
        else Console.WriteLine($"stores kept in {dir}");
        return 0;
    }

    private static ExecutedBlock CommitBlock(LedgerChain chain, BlockExecutor executor, BlockSealer sealer, IReadOnlyList<AdmittedTx> candidates)
    {
        // What SoloProducer.ProduceBlock does, minus the pool: execute on the head, seal (a quorum of one), commit.
        var head = chain.Head;
        var timestamp = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), head.Header.Timestamp + 1);
        var executed = executor.Execute(chain.Store, head, candidates, timestamp, sealer.ValidatorId, 0, chain.Validators.At(head.Height + 1).Hash);
        var height = executed.Block.Header.Height;
        chain.Commit(executed, new CommitCertificate { Height = height, Round = 0, BlockHash = executed.BlockHash, Seals = [sealer.Seal(height, 0, executed.BlockHash)] });
        return executed;
    }

    private static void Open(Engine engine, ProvinceHistory history, Sm3Hasher hasher, LabourContractChaincode chaincode, Ledger.Crypto.Certificates.CertificateChainValidator trust, CountingStore? counting)
    {
        var kv = NodeRuntime.OpenStore(NodeConfig.Load(engine.ConfigPath));
        // A node always opens its store compacting (reads of either form are the same); the "-whole" baseline writes whole blocks.
        if (counting is null) counting = new CountingStore(kv);
        else counting.Inner = kv;
        engine.Kv = counting;
        var store = new BlockStore(counting, hasher, engine.CompactCertificates);
        var admission = new TxAdmission(history.ChainId, chaincode, new CertificateRegistry(trust, hasher), hasher, new StoreReplayIndex(store));
        engine.Chain = new LedgerChain("bench-" + engine.Name, history.Genesis, history.GenesisBytes, store, admission, new Mempool(),
            new Ledger.Chain.Governance.ValidatorSets(history.Genesis, hasher), hasher, TimeProvider.System, new ChainMetrics());
    }

    /// <summary>A node directory as `ledger network init` makes one: genesis, the validator's key file and certificate, config.</summary>
    private static void WriteNodeFiles(Engine engine, ProvinceHistory history)
    {
        Directory.CreateDirectory(engine.Root);
        File.WriteAllBytes(Path.Combine(engine.Root, "genesis.json"), history.GenesisBytes);
        File.WriteAllText(Path.Combine(engine.Root, "validator.pem"), history.Validator.Certificate!.ToPem());
        KeyFile.Save(Path.Combine(engine.Root, "validator.key"), history.ValidatorKey, Passphrase, KeyFileOptions.ForTests);
        File.WriteAllText(Path.Combine(engine.Root, "passphrase"), Passphrase);
        var config = new NodeConfig
        {
            Name = "guangdong",
            Division = "440000",
            Genesis = "genesis.json",
            Key = "validator.key",
            Certificate = "validator.pem",
            PassphraseFile = "passphrase",
            AllowWeakKdf = true,
            DataDir = "data",
            GrpcListen = "127.0.0.1:0",
            HttpListen = "127.0.0.1:0",
            Store = engine.Kind,
        };
        File.WriteAllText(engine.ConfigPath, config.ToJson());
    }

    private sealed record Lookups(List<double> Find, List<double> Contract, List<double> Proof);

    private static Lookups MeasureLookups(LedgerChain chain, Sample[] picks)
    {
        var result = new Lookups([], [], []);
        foreach (var pick in picks)
        {
            var clock = Stopwatch.StartNew();
            if (chain.FindByDocumentHash(pick.Document).Count == 0) throw new InvalidOperationException($"document {pick.Document} not found");
            result.Find.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            if (chain.GetContract(pick.ContractId) is null) throw new InvalidOperationException($"contract {pick.ContractId} not found");
            result.Contract.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            if (chain.GetEvidence(pick.TxId) is null) throw new InvalidOperationException($"no proof of {pick.TxId}");
            result.Proof.Add(clock.Elapsed.TotalMilliseconds);
        }
        return result;
    }

    private static Dictionary<string, double> Breakdown(CountingStore kv, int events)
    {
        var names = new (byte Prefix, string Name)[]
        {
            (BlockStoreKeys.Block, "blocks (txs, receipts, commit certificate)"), (BlockStoreKeys.StateNode, "state tree nodes"),
            (BlockStoreKeys.State, "current state values"), (BlockStoreKeys.Transaction, "tx id index"), (BlockStoreKeys.DocumentHash, "document hash index"),
            (BlockStoreKeys.Contract, "contract index"), (BlockStoreKeys.BlockHash, "block hash index"), (BlockStoreKeys.Meta, "meta"),
            (BlockStoreKeys.Certificate, "certificates (once each)"), (BlockStoreKeys.BatchDocument, "paper-batch document index"),
        };
        return names.ToDictionary(n => n.Name, n => Math.Round((double)kv.Of(n.Prefix).Bytes / events, 1));
    }

    private sealed record StartProbe(double StartMs, double RssMb, double RssAfterReadsMb);

    /// <summary>`store-open --config FILE TXID...` in a fresh process: the node's real start, then its RSS at rest and after building a few proofs.</summary>
    private static StartProbe ProbeNodeStart(string config, string[] txIds)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var self = typeof(StoreBench).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) is "dotnet") info.ArgumentList.Add(self);
        info.ArgumentList.Add("store-open");
        info.ArgumentList.Add(config);
        foreach (var id in txIds) info.ArgumentList.Add(id);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("START ", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"store-open failed ({process.ExitCode}): {error}{output}");
        var parts = line.Split(' ');
        return new StartProbe(double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    /// <summary>The child's side of <see cref="ProbeNodeStart"/>.</summary>
    public static int OpenNode(string[] args)
    {
        var config = NodeConfig.Load(args[1]);
        var clock = Stopwatch.StartNew();
        using var runtime = NodeRuntime.Open(config, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        _ = runtime.Chain.GetChainInfo();
        var startMs = clock.Elapsed.TotalMilliseconds;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var rest = RssMb();
        foreach (var id in args.Skip(2))
        {
            if (runtime.Chain.GetEvidence(Hash32.Parse(id)) is null) throw new InvalidOperationException($"no proof of {id} after restart");
        }
        GC.Collect();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"START {startMs:F1} {rest:F1} {RssMb():F1}"));
        return 0;
    }

    /// <summary>
    /// `store-verify DIR`: every store a (killed) run left in DIR, reopened as a node opens it: the head, then every block from
    /// genesis to it read back and chained to its parent, and the tx count the store keeps against the blocks' own.
    /// </summary>
    public static int VerifyStores(string[] args)
    {
        var failed = 0;
        foreach (var root in Directory.GetDirectories(args[1]).Order())
        {
            var config = Path.Combine(root, "config.json");
            if (!File.Exists(config)) continue;
            var clock = Stopwatch.StartNew();
            using var kv = NodeRuntime.OpenStore(NodeConfig.Load(config));
            var store = new BlockStore(kv, Sm3Hasher.Instance);
            var opened = clock.Elapsed.TotalMilliseconds;
            var head = store.Head ?? throw new InvalidOperationException($"{root}: no head");
            ulong txs = 0;
            Hash32? previous = null;
            for (ulong height = 0; height <= head.Height; height++)
            {
                var block = store.GetBlock(height) ?? throw new InvalidOperationException($"{root}: block {height} of {head.Height} is missing");
                if (previous is { } p && block.Header.PrevHash != p) throw new InvalidOperationException($"{root}: block {height} does not chain to {height - 1}");
                foreach (var tx in block.Transactions) _ = tx.Length; // every tx put back from the certificate table
                previous = block.Header.ComputeHash(Sm3Hasher.Instance);
                txs += (ulong)block.Transactions.Count;
            }
            var ok = previous == head.Hash && txs == store.TotalTransactions && store.StateRoot == head.Header.StateRoot;
            // Random tx reads on a fresh store object (no block or certificate remembered): block by height, then the one tx.
            var fresh = new BlockStore(kv, Sm3Hasher.Instance);
            var random = new Random(5);
            var reads = new List<double>();
            for (var i = 0; i < 300; i++)
            {
                var height = (ulong)random.NextInt64(1, (long)head.Height + 1);
                var read = Stopwatch.StartNew();
                var block = fresh.GetBlock(height)!;
                if (block.Transactions.Count > 0) _ = block.Transactions[random.Next(block.Transactions.Count)].Length;
                reads.Add(read.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(root)}: a random block and one of its txs, p50 {Percentile(reads, 0.5):F2} ms, p99 {Percentile(reads, 0.99):F2} ms"));
            if (!ok) failed++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(root)}: opened in {opened:F0} ms; head {head.Height}; {head.Height + 1} blocks and {txs:N0} txs read back and chained in {clock.Elapsed.TotalSeconds:F1} s; tx count {(txs == store.TotalTransactions ? "matches" : "DIFFERS")}; state root {(store.StateRoot == head.Header.StateRoot ? "is the head's" : "DIFFERS")}"));
        }
        return failed == 0 ? 0 : 1;
    }

    private static double RssMb()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static (long Bytes, int Files) DiskBytes(string dir)
    {
        var files = new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => f.Name != "tx.journal" && !f.Name.EndsWith(".lock", StringComparison.Ordinal) && !f.Name.StartsWith("LOG", StringComparison.Ordinal)).ToArray();
        return (files.Sum(f => f.Length), files.Length);
    }

    private static double Sm2VerifyRate()
    {
        var key = Sm2PrivateKey.Generate();
        var message = new byte[200];
        var signature = key.Sign(message);
        var clock = Stopwatch.StartNew();
        var n = 0;
        while (clock.ElapsedMilliseconds < 1500)
        {
            if (!key.PublicKey.Verify(message, signature)) throw new InvalidOperationException("verify");
            n++;
        }
        return n / clock.Elapsed.TotalSeconds;
    }

    private static void Print(List<string> results, double verifyRate, double txBytes, double certBytes, double endorsements, double signUs, double admitUs, long refused, int events)
    {
        var rows = results.Select(r => JsonDocument.Parse(r).RootElement).ToArray();
        string F(double v, string format = "#,0.0") => v.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"load average at the end: {LoadAverage()}; SM2 verify/s on one core (this run): {F(verifyRate, "#,0")}");
        Console.WriteLine($"txs: {F(txBytes, "#,0")} bytes each on average, {F(endorsements, "0.00")} endorsements, certificates {F(certBytes, "#,0")} bytes of them; " +
                          $"signing {F(signUs, "#,0")} µs/tx, admission {F(admitUs, "#,0")} µs/tx (wall, both cores); {refused:N0} of {events:N0} refused by the chaincode");
        Console.WriteLine();
        Console.WriteLine("| store | events | commit µs/tx | × verify | FindByDocumentHash p50/p99 ms | GetContract p50/p99 ms | proof p50/p99 ms | disk B/event | logical B/event | node start ms | RSS at rest / after proofs MB |");
        Console.WriteLine("|---|---:|---:|---:|---|---|---|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            var commit = r.GetProperty("commitUsPerTx").GetDouble();
            string Pair(string name) => $"{F(r.GetProperty(name)[0].GetDouble(), "0.00")} / {F(r.GetProperty(name)[1].GetDouble(), "0.00")}";
            Console.WriteLine($"| {r.GetProperty("store").GetString()} | {r.GetProperty("events").GetInt32():N0} | {F(commit, "#,0")} | {F(commit * verifyRate / 1e6, "0.0")} | {Pair("findByDocumentMs")} | {Pair("getContractMs")} | {Pair("proofMs")} | " +
                              $"{F(r.GetProperty("diskBytesPerEvent").GetDouble(), "#,0")} | {F(r.GetProperty("logicalBytesPerEvent").GetDouble(), "#,0")} | {F(r.GetProperty("startMs").GetDouble(), "#,0")} | " +
                              $"{F(r.GetProperty("rssMbAtRest").GetDouble(), "#,0")} / {F(r.GetProperty("rssMbAfterReads").GetDouble(), "#,0")} |");
        }
        Console.WriteLine();
        Console.WriteLine("logical bytes per event by key prefix, at the last checkpoint:");
        var last = rows.Where(r => r.GetProperty("events").GetInt32() == rows[^1].GetProperty("events").GetInt32()).ToArray();
        Console.WriteLine("| prefix | " + string.Join(" | ", last.Select(r => r.GetProperty("store").GetString())) + " |");
        Console.WriteLine("|---|" + string.Concat(last.Select(_ => "---:|")));
        foreach (var p in last[0].GetProperty("breakdown").EnumerateObject())
            Console.WriteLine($"| {p.Name} | " + string.Join(" | ", last.Select(r => F(r.GetProperty("breakdown").GetProperty(p.Name).GetDouble(), "#,0"))) + " |");
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(sorted.Length * p) - 1))];
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static int Option(string[] args, string name, int fallback) =>
        Text(args, name) is { } value ? int.Parse(value.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : fallback;

    private static string? Text(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
