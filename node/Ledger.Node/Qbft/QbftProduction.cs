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
        try
        {
            await loop;
        }
        finally
        {
            chain.Admitted -= network.GossipTransaction;
            await sync;
        }
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
