using System.Text;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Crypto;

namespace Ledger.Storage.CrashWriter;

/// <summary>
/// Certified blocks for the block-store crash test, computed the same way by the writer and by the test that checks them:
/// block H holds <see cref="TxsPerBlock"/> opaque txs, each indexed by id, document hash and contract id, and puts one
/// state key per tx plus a running counter, so a commit writes the block, three index entries per tx, state values, state
/// tree nodes, the state root and the head in one batch — the batch <see cref="BlockStore.Commit"/> writes for a node.
/// </summary>
internal static class CrashBlocks
{
    public const int TxsPerBlock = 20;

    public static readonly byte[] CounterKey = "counter"u8.ToArray();

    /// <summary>
    /// A tx envelope shaped like a real one (~1.2 KB, most of it certificates): a body and two endorsements carrying
    /// 500-byte "certificates" — one of a few shared ones, and one new every few blocks — so commits also write the store's
    /// certificate table ('x' keys) in the block's batch.
    /// </summary>
    public static byte[] Tx(ulong height, int index)
    {
        var body = Filled(Encoding.UTF8.GetBytes($"crash tx body {height}/{index} "), 160);
        var shared = Certificate($"shared {(height + (ulong)index) % 7}");
        var own = Certificate($"own {height / 5}/{index % 3}");
        return new Ledger.Core.Transactions.TxEnvelope
        {
            BodyBytes = body,
            Endorsements =
            [
                new Ledger.Core.Transactions.Endorsement { Certificate = shared, Signature = Filled([(byte)index], 64), Scope = Ledger.Core.Transactions.EndorsementScope.Body },
                new Ledger.Core.Transactions.Endorsement { Certificate = own, Signature = Filled([(byte)height], 64), Scope = Ledger.Core.Transactions.EndorsementScope.Statement },
            ],
        }.Encode();
    }

    private static byte[] Certificate(string name) => Filled(Encoding.UTF8.GetBytes($"certificate {name} "), 500);

    private static byte[] Filled(byte[] pattern, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = (byte)(pattern[i % pattern.Length] + i / pattern.Length);
        return bytes;
    }

    public static Hash32 TxId(ulong height, int index) => Sm3Hasher.Instance.Hash(Tx(height, index));

    public static Hash32 Document(ulong height, int index) => Sm3Hasher.Instance.Hash(Encoding.UTF8.GetBytes($"document {height}/{index}"));

    public static string ContractId(ulong height, int index) => $"GD-CRASH-{height:D8}-{index:D2}";

    public static byte[] StateKey(ulong height, int index) => Encoding.UTF8.GetBytes($"contract/{ContractId(height, index)}");

    public static byte[] StateValue(ulong height, int index) => Encoding.UTF8.GetBytes($"record of {ContractId(height, index)} at {height}");

    /// <summary>Executes block <paramref name="height"/> on the store's state and commits it (genesis when the store is empty).</summary>
    public static void Commit(BlockStore store, ulong height)
    {
        var state = store.OpenState();
        var txs = new List<ReadOnlyMemory<byte>>();
        var receipts = new List<Receipt>();
        var index = new List<TxIndexEntry>();
        var count = height == 0 ? 0 : TxsPerBlock;
        for (var i = 0; i < count; i++)
        {
            txs.Add(Tx(height, i));
            receipts.Add(new Receipt { TxId = TxId(height, i) });
            index.Add(new TxIndexEntry(TxId(height, i), i, ContractId(height, i), Document(height, i)));
            state.Put(StateKey(height, i), StateValue(height, i));
        }
        state.Put(CounterKey, BitConverter.GetBytes(height));
        var tree = store.StateTree.Update(store.StateRoot, state.Changes);
        var header = new BlockHeader
        {
            Height = height,
            PrevHash = store.Head?.Hash ?? Hash32.Zero,
            TxRoot = Sm3Hasher.Instance.Hash(Encoding.UTF8.GetBytes($"txroot {height}")),
            ReceiptsRoot = Sm3Hasher.Instance.Hash(Encoding.UTF8.GetBytes($"receipts {height}")),
            StateRoot = tree.Root,
            Timestamp = 1_700_000_000_000 + (long)height * 1000,
            Proposer = Sm3Hasher.Instance.Hash("proposer"u8),
            Round = 0,
            ValidatorSetHash = Sm3Hasher.Instance.Hash("validators"u8),
            TxCount = (uint)count,
        };
        var hash = header.ComputeHash(Sm3Hasher.Instance);
        var block = new Block
        {
            Header = header,
            Transactions = txs,
            Receipts = receipts,
            Commit = new CommitCertificate { Height = height, Round = 0, BlockHash = hash, Seals = [new CommitSeal(Sm3Hasher.Instance.Hash("validator"u8), new byte[64])] },
        };
        store.Commit(block, state, index, tree);
    }

    /// <summary>Opens the engine the test names: "litedb" (a file) or "rocksdb" (a directory).</summary>
    public static IKeyValueStore Open(string engine, string path, int checkpointPages = 1000) => engine switch
    {
        "litedb" => new LiteDbKeyValueStore(new LiteDbStoreOptions(path) { CheckpointPages = checkpointPages }),
        "rocksdb" => new RocksDbKeyValueStore(path),
        _ => throw new ArgumentException($"unknown engine {engine}", nameof(engine)),
    };
}
