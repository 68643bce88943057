using Ledger.Core.Blocks;

namespace Ledger.Anchor;

/// <summary>Our chain's committed blocks, by height (a node's GetBlock).</summary>
public interface IBlockReader
{
    Task<Block?> GetBlockAsync(ulong height, CancellationToken cancellationToken);
}
