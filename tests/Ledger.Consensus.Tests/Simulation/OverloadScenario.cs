namespace Ledger.Consensus.Tests.Simulation;

/// <summary>
/// A network under offered load, each node a single processor (<see cref="ProcessingCost"/>): clients submit to one
/// entry validator, which admits and gossips; every validator admits what it hears, validates proposals and votes.
/// <see cref="Mitigated"/> turns on what the node does about overload — consensus work ahead of gossip, a bounded
/// gossip backlog, a pool bounded by the commit window with a retry hint — and the engine's adaptive round timeouts;
/// off, it runs as the node did before (one FIFO per node, every tx admitted, every height starting from the base timeout).
/// </summary>
public sealed record OverloadScenario
{
    public int Seed { get; init; } = 1;
    public int Validators { get; init; } = 22;
    public required IReadOnlyList<LoadPhase> Phases { get; init; }

    /// <summary>Virtual time after the last phase (no new txs) before the run ends.</summary>
    public long TailMs { get; init; } = 30_000;

    public bool Mitigated { get; init; } = true;
    public ProcessingCost Cost { get; init; } = new();
    public long BaseRoundTimeoutMs { get; init; } = 2_000;
    public long BlockIntervalMs { get; init; } = 500;
    public int MaxTxsPerBlock { get; init; } = 5_000;
    public int MinDelayMs { get; init; } = 1;
    public int MaxDelayMs { get; init; } = 10;

    /// <summary>Mitigated: the pool holds what the chain committed in this window at its recent rate (at least <see cref="MinPending"/>).</summary>
    public double PoolWindowSeconds { get; init; } = 10;
    public int MinPending { get; init; } = 1_000;

    /// <summary>Mitigated: gossiped txs waiting for admission on a node; more are dropped.</summary>
    public int GossipBacklog { get; init; } = 4_000;

    /// <summary>A refused client tries again after the hint for this long, then gives up (as the SDK's default SubmitRetryBudget).</summary>
    public long ClientRetryBudgetMs { get; init; } = 30_000;

    public long TotalMs => Phases.Sum(p => p.DurationMs) + TailMs;
}
