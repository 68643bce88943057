namespace Ledger.Consensus.Ports;

/// <summary>
/// The clock. After <c>after</c> has passed, the host feeds <see cref="Events.RoundTimeout"/>(height, round) into the
/// engine's event loop. Timers are never cancelled: the engine ignores a timeout for a round it has left.
/// </summary>
public interface ITimeoutScheduler
{
    void Schedule(ulong height, uint round, TimeSpan after);
}
