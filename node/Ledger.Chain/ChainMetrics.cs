using System.Collections.Concurrent;
using Ledger.Core;

namespace Ledger.Chain;

/// <summary>Counters a node exports on /metrics. Lock-free; read at scrape time.</summary>
public sealed class ChainMetrics
{
    private long _submitted;
    private long _admitted;
    private long _committedTransactions;
    private long _committedBlocks;
    private long _lastBlockMs;
    private readonly ConcurrentDictionary<ErrorCode, long> _rejections = new();

    public long Submitted => Interlocked.Read(ref _submitted);
    public long Admitted => Interlocked.Read(ref _admitted);
    public long CommittedTransactions => Interlocked.Read(ref _committedTransactions);
    public long CommittedBlocks => Interlocked.Read(ref _committedBlocks);

    /// <summary>Milliseconds the last block's durable commit (one storage batch) took.</summary>
    public long LastBlockMilliseconds => Interlocked.Read(ref _lastBlockMs);

    public IReadOnlyDictionary<ErrorCode, long> Rejections => _rejections;

    public void RecordSubmission(ValidationResult result)
    {
        Interlocked.Increment(ref _submitted);
        if (result.IsValid) Interlocked.Increment(ref _admitted);
        else _rejections.AddOrUpdate(result.Code, 1, (_, n) => n + 1);
    }

    public void RecordBlock(int transactions, long milliseconds)
    {
        Interlocked.Increment(ref _committedBlocks);
        Interlocked.Add(ref _committedTransactions, transactions);
        Interlocked.Exchange(ref _lastBlockMs, milliseconds);
    }
}
