using Ledger.Chain.Execution;
using Ledger.Chain.Validation;
using Ledger.Core;

namespace Ledger.Chain.Production;

/// <summary>
/// Builds this validator's proposal in a consortium: pending txs on top of the head, stamped with this validator's own
/// clock (proposer-based time, PBTS). It waits — answers null, and is asked again on the next pool tick — until the
/// block interval has passed since the parent's time, so its time is always after the parent's. With
/// <paramref name="parameters"/>, the interval and the block's limits are those governance set for the height. The
/// proposer named in the header is this validator's certificate at the height (<paramref name="selfAt"/>: it changes when
/// governance re-certifies it).
/// </summary>
public sealed class ProposalBuilder(LedgerChain chain, BlockExecutor executor, BlockImporter importer, Func<ulong, Hash32> selfAt, ProducerOptions options, TimeProvider clock,
    Governance.ChainParameters? parameters = null)
{
    public ProposalBuilder(LedgerChain chain, BlockExecutor executor, BlockImporter importer, Hash32 self, ProducerOptions options, TimeProvider clock,
        Governance.ChainParameters? parameters = null)
        : this(chain, executor, importer, _ => self, options, clock, parameters)
    {
    }

    public ExecutedBlock? Build(ulong height, uint round)
    {
        var head = chain.Head;
        if (head.Height + 1 != height) return null;
        var limits = parameters?.ProducerAt(height) ?? options;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (now <= head.Header.Timestamp || now < head.Header.Timestamp + (long)limits.BlockInterval.TotalMilliseconds) return null;
        var candidates = chain.Pool.Select(limits.MaxBlockTransactions, limits.MaxBlockBytes);
        // An idle chain makes no blocks; once a round has failed, though, an empty block ends the height.
        if (candidates.Count == 0 && round == 0) return null;
        var executed = executor.Execute(chain.Store, head, candidates, now, selfAt(height), round, chain.Validators.At(head.Height + 1).Hash);
        importer.Remember(executed);
        return executed;
    }
}
