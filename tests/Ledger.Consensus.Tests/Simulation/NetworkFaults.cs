namespace Ledger.Consensus.Tests.Simulation;

/// <summary>
/// What the simulated network does to each message: drop, duplicate, delay (random delays reorder), partition.
/// Drops stop at <see cref="StableAfterMs"/>, the global stabilisation time of the partially synchronous model Moniz
/// proves liveness in (safety never depends on it); delays, duplicates and reorders go on.
/// </summary>
public sealed record NetworkFaults
{
    public double DropRate { get; init; }
    public double DuplicateRate { get; init; }
    public int MinDelayMs { get; init; } = 1;
    public int MaxDelayMs { get; init; } = 20;
    public long StableAfterMs { get; init; } = long.MaxValue;
    public IReadOnlyList<Partition> Partitions { get; init; } = [];

    public static NetworkFaults Random(Random random) => new()
    {
        DropRate = random.NextDouble() * 0.2,
        DuplicateRate = random.NextDouble() * 0.1,
        MinDelayMs = 1,
        MaxDelayMs = 1 + random.Next(150),
        StableAfterMs = 5_000 + random.Next(55_000),
    };
}
