namespace Ledger.Network;

/// <summary>Why a frame was not delivered; counted in <see cref="NetworkMetrics"/>.</summary>
public enum DropReason
{
    /// <summary>A peer's send queue was full: its oldest frame was dropped.</summary>
    QueueFull,

    /// <summary><see cref="PeerNetwork.Send"/> to a validator none of our peers has authenticated as.</summary>
    UnknownPeer,

    /// <summary>A frame above the size cap, outgoing or incoming.</summary>
    Oversize,

    /// <summary>A frame that makes no sense at this point of the stream (a second Hello, an empty frame).</summary>
    ProtocolViolation,

    /// <summary>A handler threw on a received frame.</summary>
    HandlerFailed,

    /// <summary>A frame taken from the queue whose write failed because the stream broke.</summary>
    WriteFailed,

    /// <summary>A peer's tx gossip queue was full: its oldest gossiped tx was dropped (consensus frames have their own queue).</summary>
    GossipQueueFull,

    /// <summary>Gossiped txs waiting for admission were at capacity: a received tx was dropped before admission.</summary>
    TransactionBacklog,
}
