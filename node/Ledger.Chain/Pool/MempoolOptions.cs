namespace Ledger.Chain.Pool;

/// <summary>
/// The pool's bounds. The fixed caps (count, bytes) keep memory flat; the commit window keeps the pool to what the chain
/// can finalise soon: a tx admitted into a pool that would take minutes to drain would only time out at its submitter.
/// When a bound is reached, submissions get RESOURCE_EXHAUSTED with a hint of when to try again.
/// </summary>
public sealed record MempoolOptions
{
    public int MaxTransactions { get; init; } = 50_000;

    public long MaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// The pool holds at most what the chain committed in this many seconds at its recent rate (its capacity as measured,
    /// never less than <see cref="MinPendingTransactions"/>). Zero or less: no window, only the fixed caps.
    /// </summary>
    public double CommitWindowSeconds { get; init; } = 10;

    /// <summary>The window never bounds the pool below this many txs (a quiet or new chain takes a burst).</summary>
    public int MinPendingTransactions { get; init; } = 1_000;

    /// <summary>Txs gossiped by peers may fill the window this many times over (their submitter's node already took them).</summary>
    public double PeerWindowFactor { get; init; } = 2;

    /// <summary>How far back committed blocks count toward the rate.</summary>
    public TimeSpan RateHorizon { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The retry hint's bounds.</summary>
    public TimeSpan MinRetryAfter { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);
}
