using Grpc.Core;
using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Blocks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Analytics.Indexing;

/// <summary>
/// Follows a node's chain into PostgreSQL: from the height after the checkpoint, each block from WatchBlocks is
/// verified (<see cref="BlockVerifier"/>) and written with its checkpoint in one transaction (<see cref="FactStore"/>).
/// A dropped stream is resumed from the checkpoint after a backoff; a block that fails verification stops the indexer
/// (a node serving uncertified blocks is not followed).
/// </summary>
public sealed class ChainIndexer(LedgerClient client, BlockVerifier verifier, FactStore store, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Blocks indexed by this instance.</summary>
    public long BlocksIndexed { get; private set; }

    /// <summary>Indexes until cancelled, or until <paramref name="untilHeight"/> is indexed when given.</summary>
    public async Task RunAsync(ulong? untilHeight = null, CancellationToken cancellationToken = default)
    {
        var checkpoint = await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var chain = await client.GetChainInfoAsync(cancellationToken).ConfigureAwait(false);
        if (chain.ChainId != verifier.Genesis.ChainId)
            throw new AnalyticsException($"the node serves chain {chain.ChainId}, genesis names {verifier.Genesis.ChainId}");
        _logger.LogInformation("Indexing chain {ChainId} as {Scope} from height {Height}", chain.ChainId, checkpoint.Scope, checkpoint.Height + 1);
        var backoff = TimeSpan.FromMilliseconds(500);
        Hash32? parent = checkpoint.Height == 0 ? null : checkpoint.BlockHash;
        var next = checkpoint.Height + 1;
        while (untilHeight is not { } last || next <= last)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await foreach (var block in client.WatchBlocksAsync(next, cancellationToken).ConfigureAwait(false))
                {
                    if (block.Header.Height != next)
                        throw new AnalyticsException($"the node streamed block {block.Header.Height} where {next} was expected");
                    parent = await IndexAsync(block, parent, cancellationToken).ConfigureAwait(false);
                    next++;
                    backoff = TimeSpan.FromMilliseconds(500);
                    if (untilHeight is { } until && next > until) return;
                }
            }
            catch (LedgerClientException e) when (e.Status is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled or StatusCode.DeadlineExceeded
                                                    && !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("The block stream from the node broke at height {Height} ({Status}: {Message}); resuming in {Delay} ms", next, e.Status, e.Message, backoff.TotalMilliseconds);
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>Verifies one block and writes it; answers its hash (the next block's parent).</summary>
    public async Task<Hash32> IndexAsync(Block block, Hash32? parent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        var hash = await verifier.VerifyAsync(block, parent, cancellationToken).ConfigureAwait(false);
        if (await store.WriteAsync(block, hash, cancellationToken).ConfigureAwait(false)) BlocksIndexed++;
        if (_logger.IsEnabled(LogLevel.Debug)) _logger.LogDebug("Indexed block {Height} ({Transactions} txs)", block.Header.Height, block.Transactions.Count);
        return hash;
    }
}
