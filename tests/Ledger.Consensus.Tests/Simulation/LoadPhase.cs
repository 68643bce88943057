namespace Ledger.Consensus.Tests.Simulation;

/// <summary>Clients offer <paramref name="TxPerSecond"/> for <paramref name="DurationMs"/> of virtual time (an open loop: whatever happened to earlier txs).</summary>
public sealed record LoadPhase(long DurationMs, double TxPerSecond);
