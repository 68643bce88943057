using Ledger.Client;
using Ledger.Crypto;

namespace Ledger.Anchor;

/// <summary>
/// Checkpoints of the blocks a node serves (gRPC GetBlock, header_only), with the chain id it reports, and the anchoring
/// interval from its chain info (the chain parameters as of its head).
/// </summary>
public sealed class LedgerCheckpointSource(LedgerClient client) : ICheckpointSource
{
    private string? _chainId;

    public async Task<SourcedCheckpoint?> TryGetAsync(ulong height, CancellationToken cancellationToken)
    {
        _chainId ??= (await client.GetChainInfoAsync(cancellationToken).ConfigureAwait(false)).ChainId;
        // Headers and their certificates are public: the anchoring service needs no reader's certificate.
        var block = await client.GetCertifiedHeaderAsync(height, cancellationToken).ConfigureAwait(false);
        // A block is served once committed, with its certificate; one without is not final yet.
        if (block?.Commit is not { } commit) return null;
        return new SourcedCheckpoint(Checkpoint.FromHeader(_chainId, block.Header, commit, Sm3Hasher.Instance), block.Header.Timestamp);
    }

    public async Task<long?> BlockTimeAsync(ulong height, CancellationToken cancellationToken) =>
        (await client.GetCertifiedHeaderAsync(height, cancellationToken).ConfigureAwait(false))?.Header.Timestamp;

    public async Task<AnchorInterval> GetIntervalAsync(CancellationToken cancellationToken)
    {
        var info = await client.GetChainInfoAsync(cancellationToken).ConfigureAwait(false);
        _chainId ??= info.ChainId;
        return new AnchorInterval(info.Height, info.Parameters);
    }
}
