namespace Ledger.Consensus.Events;

/// <summary>
/// The chain holds every block below <see cref="Height"/>: run consensus for <see cref="Height"/>. Sent once at start-up
/// (head + 1) and whenever block sync imported blocks the engine did not decide itself; stale ones are ignored.
/// </summary>
public sealed record NewHeight(ulong Height) : ConsensusEvent;
