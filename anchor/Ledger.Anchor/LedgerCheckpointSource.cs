using Ledger.Client;
using Ledger.Crypto;

namespace Ledger.Anchor;

/// <summary>Checkpoints of the blocks a node serves (gRPC GetBlock), with the chain id it reports.</summary>
public sealed class LedgerCheckpointSource(LedgerClient client) : ICheckpointSource
{
    private string? _chainId;

    public async Task<Checkpoint?> TryGetAsync(ulong height, CancellationToken cancellationToken)
    {
        _chainId ??= (await client.GetChainInfoAsync(cancellationToken).ConfigureAwait(false)).ChainId;
        var block = await client.GetBlockAsync(height, cancellationToken).ConfigureAwait(false);
        // A block is served once committed, with its certificate; one without is not final yet.
        if (block?.Commit is null) return null;
        return Checkpoint.FromBlock(_chainId, block, Sm3Hasher.Instance);
    }
}
