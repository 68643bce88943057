using System.Threading.Channels;
using Ledger.Consensus;
using Ledger.Consensus.Events;

namespace Ledger.Node.Qbft;

/// <summary>
/// The consensus loop's queue, made before anything that writes to it (peer network, timers) or reads it (the driver),
/// so the node is wired in one order with no late-bound references. Thread-safe for writers; one reader.
/// </summary>
public sealed class ConsensusInbox
{
    private readonly Channel<ConsensusLoopItem> _items = Channel.CreateUnbounded<ConsensusLoopItem>(new UnboundedChannelOptions { SingleReader = true });

    internal ChannelReader<ConsensusLoopItem> Reader => _items.Reader;

    public void Enqueue(ConsensusEvent e) => _items.Writer.TryWrite(new ConsensusLoopItem.Event(e));

    /// <summary>Runs work on the loop, between two events (so it never races the engine's own commits).</summary>
    public Task RunOnLoopAsync(Action<QbftEngine> work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _items.Writer.TryWrite(new ConsensusLoopItem.Work(work, done));
        return done.Task;
    }
}
