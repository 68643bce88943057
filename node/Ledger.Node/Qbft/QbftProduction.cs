using Ledger.Chain;
using Ledger.Chain.Validation;
using Ledger.Consensus.Events;
using Ledger.Network;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Qbft;

/// <summary>
/// Block production in a consortium: the peer network, the QBFT driver, gossip of submitted txs, and block sync —
/// when peers report a higher head, fetch their blocks, check each certificate and re-execute it, then tell the
/// engine the new height.
/// </summary>
public sealed class QbftProduction(LedgerChain chain, ConsensusDriver driver, BlockImporter importer, PeerNetwork network, ILogger<QbftProduction> logger)
{
    public static readonly TimeSpan SyncInterval = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        chain.Admitted += network.GossipTransaction;
        network.Start();
        var loop = driver.RunAsync(cancellationToken);
        var sync = Task.Run(() => SyncAsync(cancellationToken), CancellationToken.None);
        var regossip = Task.Run(() => RegossipRecoveredAsync(cancellationToken), CancellationToken.None);
        try
        {
            await loop;
        }
        finally
        {
            chain.Admitted -= network.GossipTransaction;
            await sync;
            await regossip;
        }
    }

    /// <summary>How long a restarted node waits for its peers before gossiping the txs its journal gave back to those connected.</summary>
    public static readonly TimeSpan RegossipPatience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The txs this node acknowledged before a crash may never have reached the others (gossip follows the answer):
    /// once every peer is connected (or after <see cref="RegossipPatience"/>), gossip those still waiting in the pool.
    /// </summary>
    private async Task RegossipRecoveredAsync(CancellationToken cancellationToken)
    {
        var recovered = chain.Recovered;
        if (recovered.Count == 0) return;
        var deadline = DateTimeOffset.UtcNow + RegossipPatience;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (network.Peers.Any(p => !p.Connected) && DateTimeOffset.UtcNow < deadline && await tick.WaitForNextTickAsync(cancellationToken))
            {
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var sent = 0;
        foreach (var entry in recovered)
        {
            if (!chain.Pool.Contains(entry.TxId)) continue; // committed meanwhile
            network.GossipTransaction(entry.Envelope);
            sent++;
        }
        logger.LogInformation("Gossiped {Count} txs recovered from the journal to {Peers} connected peers", sent, network.Peers.Count(p => p.Connected));
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SyncInterval, cancellationToken);
                var head = chain.Head.Height;
                var behind = network.HighestPeerHeight > head || driver.Engine.HighestSeenHeight > head + 1;
                if (!behind) continue;
                var fetched = await network.FetchBlocksAsync(head + 1, 64, cancellationToken);
                if (fetched.Count == 0) continue;
                await driver.RunOnLoopAsync(engine =>
                {
                    var imported = 0;
                    foreach (var bytes in fetched)
                    {
                        var result = importer.Import(bytes);
                        if (!result.IsValid)
                        {
                            if (chain.Head.Height >= head + (ulong)imported + 1) continue; // consensus committed it meanwhile
                            logger.LogWarning("Block sync stopped at height {Height}: {Reason}", chain.Head.Height + 1, result.ToString());
                            break;
                        }
                        imported++;
                    }
                    if (imported > 0) engine.Handle(new NewHeight(chain.Head.Height + 1));
                });
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Block sync failed; retrying");
            }
        }
    }
}
