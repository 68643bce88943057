namespace Ledger.Consensus;

/// <summary>QBFT settings every validator of a chain must share (the timeouts may differ without harm to safety).</summary>
public sealed record ConsensusOptions
{
    public required string ChainId { get; init; }

    /// <summary>
    /// Round r waits BaseRoundTimeout · 2^min(e + r, MaxTimeoutDoublings), e the doublings learned from earlier heights
    /// (<see cref="AdaptiveTimeoutDoublings"/>; 0 on a network whose rounds complete).
    /// </summary>
    public TimeSpan BaseRoundTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Caps the exponential growth (2^10 · 2 s ≈ 34 min): past it every round waits the same.</summary>
    public int MaxTimeoutDoublings { get; init; } = 10;

    /// <summary>
    /// How far the round-0 timeout may grow across heights: each height decided only after a failed round adds one
    /// doubling, up to this many (4: 16 × the base). 0 restarts every height at the base, as Besu and CometBFT do.
    /// </summary>
    public int AdaptiveTimeoutDoublings { get; init; } = 4;

    /// <summary>After this many heights in a row decided in round 0, one learned doubling is given back.</summary>
    public int TimeoutShrinkAfter { get; init; } = 2;

    /// <summary>Messages up to this many heights ahead are buffered; further ones are dropped (block sync catches up).</summary>
    public int MaxFutureHeights { get; init; } = 8;

    /// <summary>PROPOSAL, PREPARE, COMMIT up to this many rounds ahead of the current one are kept.</summary>
    public int MaxFutureRounds { get; init; } = 16;

    /// <summary>Buffered future-height messages per validator (so one validator cannot crowd out the rest).</summary>
    public int FutureBufferPerValidator { get; init; } = 64;

    /// <summary>Equivocation evidence kept (the oldest are kept; the count in the metrics goes on).</summary>
    public int MaxEquivocationEvidence { get; init; } = 1024;

    /// <summary>
    /// When set, round 0's timer starts only on activity — pending transactions (<see cref="Events.TransactionsAvailable"/>)
    /// or a message for the height — so an idle chain waits without round changes or empty blocks. Liveness is kept:
    /// a validator with pending transactions, or one that hears of the height, starts the timer.
    /// </summary>
    public bool StartRoundZeroTimerOnActivity { get; init; }

    /// <summary>
    /// When set, the engine signs nothing new until the host calls <see cref="QbftEngine.ReleaseSigning"/> — a node sets it
    /// so that a validator started (or restored from a backup) learns how far its peers committed before it signs again.
    /// </summary>
    public bool HoldSigningUntilReleased { get; init; }

    /// <summary>Round r's timeout with nothing learned (e = 0).</summary>
    public TimeSpan RoundTimeout(uint round) =>
        BaseRoundTimeout * Math.Pow(2, Math.Min(round, (uint)Math.Max(0, MaxTimeoutDoublings)));
}
