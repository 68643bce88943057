namespace Ledger.Node.Config;

/// <summary>
/// The optional "mempool" section of config.json: the pool's bounds (Ledger.Chain.Pool.MempoolOptions; each one left out
/// keeps its default). A full pool refuses submissions with RESOURCE_EXHAUSTED and a retry hint.
/// </summary>
public sealed record MempoolConfig
{
    /// <summary>Txs the pool ever holds (default 50,000).</summary>
    public int? MaxTransactions { get; init; }

    /// <summary>The pool holds at most what the chain committed in this many seconds at its recent rate (default 10; 0: no window).</summary>
    public double? CommitWindowSeconds { get; init; }

    /// <summary>The window never bounds the pool below this many txs (default 1,000).</summary>
    public int? MinPendingTransactions { get; init; }

    public Ledger.Chain.Pool.MempoolOptions ToOptions(string path)
    {
        var defaults = new Ledger.Chain.Pool.MempoolOptions();
        if (MaxTransactions is < 1 || MinPendingTransactions is < 1 || CommitWindowSeconds is < 0 or > 3600)
            throw new Core.LedgerException(Core.ErrorCode.InvalidFieldValue,
                $"{path}: mempool.maxTransactions and mempool.minPendingTransactions must be at least 1, mempool.commitWindowSeconds within 0..3600");
        return defaults with
        {
            MaxTransactions = MaxTransactions ?? defaults.MaxTransactions,
            CommitWindowSeconds = CommitWindowSeconds ?? defaults.CommitWindowSeconds,
            MinPendingTransactions = MinPendingTransactions ?? defaults.MinPendingTransactions,
        };
    }
}
