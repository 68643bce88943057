namespace Ledger.Consensus.Tests.Simulation;

/// <summary>Kill an instance <c>DelayMs</c> after its chain reaches <c>AfterHeight</c>, restart it <c>DowntimeMs</c> later (never, if null).</summary>
public sealed record CrashPlan(int Instance, ulong AfterHeight, long DelayMs, long? DowntimeMs);
