namespace Ledger.Chain.Pool;

/// <summary>The pool's bounds: when either is reached, submissions get RESOURCE_EXHAUSTED and memory stays flat.</summary>
public sealed record MempoolOptions
{
    public int MaxTransactions { get; init; } = 50_000;

    public long MaxBytes { get; init; } = 256L * 1024 * 1024;
}
