using Grpc.Core;
using Ledger.Chain;
using Ledger.Chain.Validation;
using Ledger.Client;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Observer;

/// <summary>
/// An observer's production loop: it watches its upstream nodes' blocks from its own head on and imports each as a
/// follower does — a quorum of seals of the set of its height, the set's transitions from genesis, then the block
/// re-executed to exactly its header (<see cref="BlockImporter.Import"/>). It never votes and trusts no upstream: a block
/// that does not check is not committed, and the observer turns to the next upstream. A lost connection is retried with
/// backoff, round the upstream list.
/// </summary>
public sealed class ChainFollower(LedgerChain chain, BlockImporter importer, UpstreamNodes upstream, ILogger<ChainFollower> logger, TimeProvider time)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>Blocks refused since start (a count an operator alerts on: an upstream served something that does not check).</summary>
    public long RefusedBlocks => Interlocked.Read(ref _refused);

    private long _refused;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var turn = 0;
        var backoff = FirstBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            var (address, client) = upstream[turn];
            try
            {
                await foreach (var block in client.WatchBlocksAsync(chain.Head.Height + 1, cancellationToken).ConfigureAwait(false))
                {
                    var height = block.Header.Height;
                    if (height <= chain.Head.Height) continue; // already imported (a reconnect may repeat the head)
                    var imported = importer.Import(block.Encode());
                    if (!imported.IsValid)
                    {
                        Interlocked.Increment(ref _refused);
                        logger.LogError("Refused block {Height} from {Upstream}: {Code}: {Reason}; turning to another upstream",
                            height, address, imported.Code, imported.Reason);
                        break;
                    }
                    backoff = FirstBackoff;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is LedgerClientException or RpcException or IOException or HttpRequestException)
            {
                logger.LogWarning("Following {Upstream} stopped at height {Height}: {Reason}; retrying in {Backoff} ms",
                    address, chain.Head.Height, e.Message, (long)backoff.TotalMilliseconds);
            }
            turn++;
            try
            {
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }
}
