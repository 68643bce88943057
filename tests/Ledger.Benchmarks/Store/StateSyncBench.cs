using System.Diagnostics;
using System.Globalization;
using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Production;
using Ledger.Chain.Revocation;
using Ledger.Chain.Validation;
using Ledger.Chaincode;
using Ledger.Crypto;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Ledger.Node.Sync;
using Ledger.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Benchmarks.Store;

/// <summary>
/// `dotnet run -c Release --project tests/Ledger.Benchmarks -- statesync [--events N] [--block B] [--dir DIR]`: the time a
/// new node takes to join a chain of N txs (issue 14), two ways, from the same source store (RocksDB) built as the store
/// bench builds it (seeded province history, real SM2 endorsements, real admission, executor and commit):
/// <list type="bullet">
/// <item>state sync (<see cref="StateSync"/>): the head block certified, every state-tree node fetched by hash and checked,
/// written with its flat entry — in process, so without the network's share;</item>
/// <item>replay from genesis: every block imported as a follower imports it (<see cref="BlockImporter"/>: seals, every tx's
/// certificates and signatures, re-execution to exactly its header, commit).</item>
/// </list>
/// </summary>
internal static partial class StoreBench
{
    public static async Task<int> RunStateSyncAsync(string[] args)
    {
        var events = Option(args, "--events", 100_000);
        var blockSize = Option(args, "--block", 500);
        var chunk = Option(args, "--chunk", 10_000);
        var dir = Text(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "ledger-statesync-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
        {
            await Console.Error.WriteLineAsync($"statesync bench: {dir} is not empty");
            return 2;
        }
        Directory.CreateDirectory(dir);
        var history = new ProvinceHistory(seed: 18, employers: Option(args, "--employers", 2_000), workers: Option(args, "--workers", 20_000));
        var hasher = Sm3Hasher.Instance;
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var trust = history.ChainValidator();
        var executor = new BlockExecutor(history.ChainId, chaincode, hasher, new CrlPublication(trust.Authorities));
        var sealer = new BlockSealer(history.ChainId, new NodeIdentity("guangdong", history.Validator.Certificate!, history.ValidatorKey));

        var source = new Engine("rocksdb", Path.Combine(dir, "source"));
        WriteNodeFiles(source, history);
        Open(source, history, hasher, chaincode, trust, counting: null);
        var admission = new TxAdmission(history.ChainId, chaincode, new CertificateRegistry(trust, hasher), hasher, new StoreReplayIndex(source.Chain.Store));
        var built = Stopwatch.StartNew();
        for (var done = 0; done < events;)
        {
            var count = Math.Min(chunk, events - done);
            var now = DateTimeOffset.UtcNow;
            var envelopes = history.Plan(count, now).AsParallel().AsOrdered().Select(p => history.Sign(p, now.AddMinutes(30))).ToArray();
            var admitted = envelopes.AsParallel().AsOrdered().Select(e => admission.Admit(e, DateTimeOffset.UtcNow)).ToArray();
            for (var start = 0; start < admitted.Length; start += blockSize)
                CommitBlock(source.Chain, executor, sealer, admitted.Skip(start).Take(blockSize).Select(a => a.Tx!).ToArray());
            done += count;
            Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} source: {done:N0} txs, height {source.Chain.Head.Height}; load {LoadAverage()}");
        }
        var buildSeconds = built.Elapsed.TotalSeconds;
        var head = source.Chain.Head.Height;
        var (sourceDisk, _) = DiskBytes(source.DataDir);
        Console.WriteLine($"source built: {events:N0} txs in {head} blocks, {buildSeconds:F0} s, {sourceDisk:N0} bytes on disk");

        // State sync into an empty store.
        var synced = new Engine("rocksdb", Path.Combine(dir, "synced"));
        WriteNodeFiles(synced, history);
        StateSyncResult result;
        using (var kv = NodeRuntime.OpenStore(NodeConfig.Load(synced.ConfigPath)))
        {
            var sync = new StateSync(history.Genesis, history.GenesisBytes, [new LocalStateSyncPeer("source", source.Chain)], NullLogger.Instance);
            result = await sync.RunAsync(new BlockStore(kv, hasher), null, CancellationToken.None);
        }
        var (syncedDisk, _) = DiskBytes(synced.DataDir);
        Console.WriteLine($"RESULT statesync height={result.Height} entries={result.Entries} nodes={result.NodesFetched} bytes={result.BytesFetched} " +
                          $"treeMs={result.TreeElapsed.TotalMilliseconds:F0} totalMs={result.Elapsed.TotalMilliseconds:F0} disk={syncedDisk} load={LoadAverage()}");

        // Replay from genesis, as a follower imports certified blocks.
        var replay = new Engine("rocksdb", Path.Combine(dir, "replay"));
        WriteNodeFiles(replay, history);
        Open(replay, history, hasher, chaincode, trust, counting: null);
        var replayAdmission = new TxAdmission(history.ChainId, chaincode, new CertificateRegistry(trust, hasher), hasher, new StoreReplayIndex(replay.Chain.Store));
        var rules = BlockRules.ForCertifiedBlocks(history.ChainId, replay.Chain.Validators, replayAdmission);
        var importer = new BlockImporter(replay.Chain, executor, hasher, rules, rules);
        var replayed = Stopwatch.StartNew();
        for (ulong h = 1; h <= head; h++)
        {
            var imported = importer.Import(source.Chain.Store.GetBlockBytes(h)!);
            if (!imported.IsValid) throw new InvalidOperationException($"replay refused block {h}: {imported}");
            if (h % 50 == 0) Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} replay: height {h} of {head}; load {LoadAverage()}");
        }
        var replaySeconds = replayed.Elapsed.TotalSeconds;
        if (replay.Chain.Head.Hash != source.Chain.Head.Hash) throw new InvalidOperationException("replay ended on another head");
        var (replayDisk, _) = DiskBytes(replay.DataDir);
        Console.WriteLine($"RESULT replay height={head} ms={replaySeconds * 1000:F0} disk={replayDisk} load={LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| join by | txs | height | state entries | tree nodes fetched | bytes fetched | time s | disk bytes | × replay time |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| replay from genesis | {events:N0} | {head:N0} | | | | {replaySeconds:F1} | {replayDisk:N0} | 1.00 |");
        Console.WriteLine($"| state sync | {events:N0} | {result.Height:N0} | {result.Entries:N0} | {result.NodesFetched:N0} | {result.BytesFetched:N0} | {result.Elapsed.TotalSeconds:F1} | {syncedDisk:N0} | {result.Elapsed.TotalSeconds / replaySeconds:F3} |");
        source.Kv.Dispose();
        replay.Kv.Dispose();
        if (!args.Contains("--keep")) Directory.Delete(dir, recursive: true);
        return 0;
    }
}
