using System.Diagnostics;
using Ledger.Chain.Execution;
using Ledger.Core.Blocks;
using Microsoft.Extensions.Logging;

namespace Ledger.Chain.Production;

/// <summary>
/// Block production for a network of one validator: when txs are pending, wait the block interval, execute
/// a block, seal it (a quorum of one) and commit it. The consortium replaces this with QBFT; everything
/// around it — admission, execution, storage, the API — stays the same.
/// </summary>
public sealed class SoloProducer(LedgerChain chain, BlockExecutor executor, BlockSealer sealer, ProducerOptions options, TimeProvider time, ILogger<SoloProducer> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (chain.Validators.Genesis.Count != 1 || chain.Validators.Genesis.Find(sealer.ValidatorId) is null)
            throw new InvalidOperationException("solo production needs a network whose only validator is this node");
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await chain.Pool.WaitForTransactionsAsync(cancellationToken);
                await Task.Delay(options.BlockInterval, time, cancellationToken);
                ProduceBlock();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Executes, seals and commits one block of pending txs; returns its height, or null if nothing was pending.</summary>
    public ulong? ProduceBlock()
    {
        var started = Stopwatch.GetTimestamp();
        var candidates = chain.Pool.Select(options.MaxBlockTransactions, options.MaxBlockBytes);
        if (candidates.Count == 0) return null;
        var head = chain.Head;
        var timestamp = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), head.Header.Timestamp + 1);
        var executed = executor.Execute(chain.Store, head, candidates, timestamp, sealer.ValidatorId, 0, chain.Validators.At(head.Height + 1).Hash);
        var height = executed.Block.Header.Height;
        var certificate = new CommitCertificate
        {
            Height = height,
            Round = 0,
            BlockHash = executed.BlockHash,
            Seals = [sealer.Seal(height, 0, executed.BlockHash)],
        };
        chain.Commit(executed, certificate);
        // Candidates the executor left out (already committed) leave the pool too.
        chain.Pool.Remove(candidates.Select(c => c.TxId));
        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Committed block {Height} with {Count} txs in {Elapsed} ms", height, executed.Transactions.Count, elapsed);
        return height;
    }
}
