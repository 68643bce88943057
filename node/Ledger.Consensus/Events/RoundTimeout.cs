namespace Ledger.Consensus.Events;

/// <summary>A timer scheduled through <see cref="Ports.ITimeoutScheduler"/> expired.</summary>
public sealed record RoundTimeout(ulong Height, uint Round) : ConsensusEvent;
