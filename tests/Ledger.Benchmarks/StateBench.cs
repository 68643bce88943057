using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chain.Revocation;
using Ledger.Chaincode;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Crypto;
using Ledger.Storage;
using Ledger.TestKit.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/Ledger.Benchmarks -- state [--txs N] [--block B]`: what the authenticated
/// state (the sparse Merkle tree, issue 12) costs. A one-validator chain commits N register-then-sign txs in blocks of B
/// through admission, executor and store; then the same final keys and values are written again into a fresh tree in
/// block-sized batches, so the tree's share of a block's commit time is measured in the same run. Also the bytes the
/// store holds per tx (tree nodes apart) and the sizes of a header, a tx proof, a state proof and a contract bundle.
/// Prints one markdown table.
/// </summary>
internal static class StateBench
{
    public static int Run(string[] args)
    {
        var contracts = Option(args, "--txs", 2000) / 2;
        var blockSize = Option(args, "--block", 200);
        var consortium = new TestConsortium();
        var hasher = Sm3Hasher.Instance;
        using var kv = new InMemoryKeyValueStore();
        var store = new BlockStore(kv, hasher);
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var trust = consortium.ChainValidator();
        var admission = new TxAdmission(consortium.ChainId, chaincode, new CertificateRegistry(trust, hasher), hasher, new StoreReplayIndex(store));
        var chain = new LedgerChain("bench", consortium.Genesis, consortium.GenesisBytes, store, admission,
            new Mempool(new MempoolOptions { MaxTransactions = blockSize * 2 + 1 }), new Ledger.Chain.Governance.ValidatorSets(consortium.Genesis, hasher), hasher, TimeProvider.System, new ChainMetrics());
        var validator = consortium.Validators[0];
        var producer = new SoloProducer(chain, new BlockExecutor(consortium.ChainId, chaincode, hasher, new CrlPublication(trust.Authorities)),
            new BlockSealer(consortium.ChainId, new NodeIdentity(validator.Name, validator.Certificate!, validator.Key)),
            new ProducerOptions { MaxBlockTransactions = blockSize }, TimeProvider.System, NullLogger<SoloProducer>.Instance);

        Console.WriteLine($"signing {contracts} register and {contracts} sign txs...");
        var documents = Enumerable.Range(0, contracts).Select(i => Sm3.Hash(BitConverter.GetBytes(i))).ToArray();
        var registers = Enumerable.Range(0, contracts).AsParallel().AsOrdered().Select(i => consortium.Transaction(
            consortium.Register($"GZ-STATE-{i}", documents[i]), consortium.Employer, [consortium.Employer], nonce: (ulong)i + 1).Encode()).ToArray();
        var signs = Enumerable.Range(0, contracts).AsParallel().AsOrdered().Select(i => consortium.Transaction(
            new SignPayload { ContractId = $"GZ-STATE-{i}", Version = 1, DocumentHash = documents[i] }, consortium.Employer, [consortium.Employer, consortium.Worker], nonce: (ulong)(contracts + i) + 1).Encode()).ToArray();

        var blockTimes = new List<double>();
        void CommitAll(byte[][] envelopes)
        {
            for (var start = 0; start < envelopes.Length; start += blockSize)
            {
                foreach (var envelope in envelopes.Skip(start).Take(blockSize))
                {
                    var submitted = chain.Submit(envelope);
                    if (!submitted.Result.IsValid) throw new InvalidOperationException(submitted.Result.ToString());
                }
                var clock = Stopwatch.StartNew();
                if (producer.ProduceBlock() is null) throw new InvalidOperationException("no block");
                blockTimes.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        Console.WriteLine($"committing in blocks of {blockSize}...");
        CommitAll(registers);
        CommitAll(signs);
        var txs = contracts * 2;

        // The tree alone: the chain's final keys and values, written into a fresh tree in batches of a block's size.
        var state = kv.Scan(BlockStoreKeys.StatePrefix).Select(e => KeyValuePair.Create(e.Key[1..], (byte[]?)e.Value)).ToArray();
        var keysPerTx = (double)state.Length / txs;
        var batch = Math.Max(1, (int)Math.Round(blockSize * keysPerTx));
        using var treeKv = new InMemoryKeyValueStore();
        var tree = new StateTree(treeKv, hasher);
        var root = Core.Merkle.SparseMerkleTree.EmptyHash;
        var treeTimes = new List<double>();
        for (var start = 0; start < state.Length; start += batch)
        {
            var clock = Stopwatch.StartNew();
            var update = tree.Update(root, state.Skip(start).Take(batch));
            var write = new WriteBatch();
            tree.Write(update, write);
            treeKv.Write(write);
            treeTimes.Add(clock.Elapsed.TotalMilliseconds);
            root = update.Root;
        }

        long Bytes(byte prefix) => kv.Scan([prefix]).Sum(e => (long)e.Key.Length + e.Value.Length);
        var total = kv.Scan([]).Sum(e => (long)e.Key.Length + e.Value.Length);
        var nodes = Bytes(BlockStoreKeys.StateNode);
        var values = Bytes(BlockStoreKeys.State);

        var lastRegister = chain.GetEvidence(hasher.Hash(Core.Transactions.TxEnvelope.Decode(registers[^1]).BodyBytes.Span))!;
        var proofJson = Encoding.UTF8.GetByteCount(lastRegister.ToJson());
        var revocationJson = lastRegister.Revocations.Sum(r => Encoding.UTF8.GetByteCount(System.Text.Json.JsonSerializer.Serialize(r)));
        var bundle = chain.GetContractEvidence($"GZ-STATE-{contracts - 1}", null)!;
        var bundleJson = Encoding.UTF8.GetByteCount(bundle.ToJson());
        var headerBytes = chain.GetBlock(chain.Head.Height)!.Header.Encode().Length;

        static double Median(List<double> v) { var s = v.Order().ToArray(); return s[s.Length / 2]; }
        static double P99(List<double> v) { var s = v.Order().ToArray(); return s[Math.Min(s.Length - 1, (int)Math.Ceiling(s.Length * 0.99) - 1)]; }
        string F(double v, string format = "#,0") => v.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine($"load average while measuring: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine($"| measure ({txs:N0} txs: {contracts:N0} contracts registered, then signed; blocks of {blockSize}) | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| block commit (execute, tree, store), median ms | {F(Median(blockTimes), "0.0")} |");
        Console.WriteLine($"| state tree alone for a block's keys ({batch} keys), median ms | {F(Median(treeTimes), "0.0")} |");
        Console.WriteLine($"| tree share of a block's commit time (median / median) | {F(Median(treeTimes) / Median(blockTimes), "0.00")} |");
        Console.WriteLine($"| state tree alone, p99 ms per block | {F(P99(treeTimes), "0.0")} |");
        Console.WriteLine($"| state keys per tx | {F(keysPerTx, "0.00")} |");
        Console.WriteLine($"| store bytes per tx, all | {F((double)total / txs)} |");
        Console.WriteLine($"| of which state tree nodes per tx (every version kept) | {F((double)nodes / txs)} |");
        Console.WriteLine($"| of which current state values per tx | {F((double)values / txs)} |");
        Console.WriteLine($"| header, bytes | {headerBytes} |");
        Console.WriteLine($"| tx proof (register), JSON bytes | {F(proofJson)} |");
        Console.WriteLine($"| of which revocation statuses ({lastRegister.Revocations.Count}), JSON bytes | {F(revocationJson)} |");
        Console.WriteLine($"| state proof siblings at {contracts:N0} contracts | {bundle.StateProof.Siblings.Count} |");
        Console.WriteLine($"| contract bundle (2 events), JSON bytes | {F(bundleJson)} |");
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
