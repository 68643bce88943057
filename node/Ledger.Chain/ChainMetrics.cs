using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Ledger.Core;

namespace Ledger.Chain;

/// <summary>
/// Counters a node exports on /metrics, lock-free and read at scrape time; and, once <see cref="Attach"/>ed to the
/// node's meter, the latency histograms of admission and of a block's durable commit.
/// </summary>
public sealed class ChainMetrics
{
    private Histogram<double>? _admissionSeconds;
    private Histogram<double>? _blockCommitSeconds;

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

    /// <summary>Creates the histograms on <paramref name="meter"/>; before this, latencies are not recorded.</summary>
    public void Attach(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _admissionSeconds = meter.CreateHistogram<double>("admission_seconds", "s", "Time to admit or refuse a submitted transaction (decode, checks, signatures, pool and, for a client's, the journal fsync), by result.");
        _blockCommitSeconds = meter.CreateHistogram<double>("block_commit_seconds", "s", "Time a block's durable commit (one storage batch) took.");
    }

    public void RecordSubmission(ValidationResult result, TimeSpan elapsed)
    {
        _admissionSeconds?.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", result.IsValid ? "admitted" : "refused"));
        RecordSubmission(result);
    }

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
        _blockCommitSeconds?.Record(milliseconds / 1000.0);
    }
}
