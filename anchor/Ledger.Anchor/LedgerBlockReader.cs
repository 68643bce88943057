using Ledger.Client;
using Ledger.Core.Blocks;

namespace Ledger.Anchor;

/// <summary>Blocks from a node's gRPC API.</summary>
public sealed class LedgerBlockReader(LedgerClient client) : IBlockReader
{
    public Task<Block?> GetBlockAsync(ulong height, CancellationToken cancellationToken) => client.GetBlockAsync(height, cancellationToken);
}
