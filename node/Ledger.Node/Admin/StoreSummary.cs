using Ledger.Chain;
using Ledger.Core;
using Ledger.Crypto;
using Ledger.Storage;

namespace Ledger.Node.Admin;

/// <summary>
/// What a copied store (a backup's ledger.db file, or its ledger.rocksdb directory) holds, read by opening it as a node would: its head,
/// the state root it stores (which must be the head's), and whether block 0 is the given genesis. Opening leaves a LiteDB file clean and
/// checkpointed.
/// </summary>
public sealed record StoreSummary(ulong Height, Hash32 BlockHash, Hash32 StateRoot, DateTimeOffset BlockTime)
{
    public static StoreSummary Read(string path, byte[] genesisBytes)
    {
        ChainHead head;
        Hash32 stored;
        Hash32? genesisRoot;
        var rocks = Directory.Exists(path);
        using (IKeyValueStore kv = rocks ? new RocksDbKeyValueStore(path) : new LiteDbKeyValueStore(path))
        {
            var blocks = new BlockStore(kv, Sm3Hasher.Instance);
            head = blocks.Head ?? throw new LedgerException(ErrorCode.StorageCorrupt, $"{path} holds no block");
            stored = blocks.StateRoot;
            genesisRoot = blocks.GetBlock(0)?.Header.StateRoot;
        }
        if (!rocks) File.Delete(path + ".lock");
        if (stored != head.Header.StateRoot)
            throw new LedgerException(ErrorCode.StorageCorrupt, $"{path}: the stored state root {stored} is not the head's ({head.Header.StateRoot}, height {head.Height})");
        if (genesisRoot != LedgerChain.GenesisStateRoot(Sm3Hasher.Instance, genesisBytes))
            throw new LedgerException(ErrorCode.InvalidBlockHash, $"{path} holds a chain started from another genesis.json");
        return new StoreSummary(head.Height, head.Hash, head.Header.StateRoot, DateTimeOffset.FromUnixTimeMilliseconds(head.Header.Timestamp));
    }
}
