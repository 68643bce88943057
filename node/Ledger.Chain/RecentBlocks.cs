using System.Collections.Concurrent;
using Ledger.Core.Blocks;
using Ledger.Storage;

namespace Ledger.Chain;

/// <summary>Decoded blocks by height, the most recent few kept in memory: reads of fresh txs don't re-decode blocks.</summary>
public sealed class RecentBlocks(BlockStore store, int capacity)
{
    private readonly ConcurrentDictionary<ulong, Block> _blocks = new();

    public Block? Get(ulong height)
    {
        if (_blocks.TryGetValue(height, out var block)) return block;
        block = store.GetBlock(height);
        if (block is not null) Remember(block);
        return block;
    }

    /// <summary>Keeps a block just committed, so nobody reads and decodes it back from the store.</summary>
    public void Remember(Block block)
    {
        if (_blocks.Count >= capacity)
        {
            var oldest = _blocks.Keys.Min();
            _blocks.TryRemove(oldest, out _);
        }
        _blocks[block.Header.Height] = block;
    }
}
