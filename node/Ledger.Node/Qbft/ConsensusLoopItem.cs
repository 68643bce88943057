using Ledger.Consensus;
using Ledger.Consensus.Events;

namespace Ledger.Node.Qbft;

/// <summary>What the consensus loop reads: a closed set (the private constructor admits no other cases).</summary>
public abstract record ConsensusLoopItem
{
    private ConsensusLoopItem()
    {
    }

    /// <summary>A consensus event for the engine: a peer's message, a timeout, a new height, a pool tick.</summary>
    public sealed record Event(ConsensusEvent Value) : ConsensusLoopItem;

    /// <summary>Work that must run on the loop, between two events (block import by sync, reading the evidence).</summary>
    public sealed record Work(Action<QbftEngine> Action, TaskCompletionSource Done) : ConsensusLoopItem;
}
