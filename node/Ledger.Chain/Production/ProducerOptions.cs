namespace Ledger.Chain.Production;

/// <summary>How a proposer batches: it waits this long after the first pending tx, then takes up to the block limits.</summary>
public sealed record ProducerOptions
{
    public TimeSpan BlockInterval { get; init; } = TimeSpan.FromMilliseconds(200);
    public int MaxBlockTransactions { get; init; } = 5000;
    public long MaxBlockBytes { get; init; } = 8L * 1024 * 1024;
}
