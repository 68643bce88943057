namespace Ledger.Network;

/// <summary>Counters of a <see cref="PeerNetwork"/>; thread-safe, monotonically increasing.</summary>
public sealed class NetworkMetrics
{
    private static readonly DropReason[] Reasons = Enum.GetValues<DropReason>();

    private readonly long[] _dropped = new long[Reasons.Length];
    private long _consensusSent;
    private long _consensusReceived;
    private long _transactionsSent;
    private long _transactionsReceived;
    private long _authFailures;
    private long _connections;
    private long _reconnects;

    /// <summary>Consensus frames written to a peer's stream.</summary>
    public long ConsensusMessagesSent => Interlocked.Read(ref _consensusSent);

    /// <summary>Consensus frames from authenticated peers handed to the handlers.</summary>
    public long ConsensusMessagesReceived => Interlocked.Read(ref _consensusReceived);

    public long TransactionsSent => Interlocked.Read(ref _transactionsSent);

    public long TransactionsReceived => Interlocked.Read(ref _transactionsReceived);

    /// <summary>Handshakes refused, either side: wrong chain id, unknown certificate, bad signature, malformed handshake.</summary>
    public long AuthFailures => Interlocked.Read(ref _authFailures);

    /// <summary>Outbound handshakes that succeeded.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Dial attempts after a failed attempt or a lost connection.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long Dropped(DropReason reason) => Interlocked.Read(ref _dropped[(int)reason]);

    public long DroppedTotal => Reasons.Sum(r => Dropped(r));

    /// <summary>A snapshot of the drop counters by reason.</summary>
    public IReadOnlyDictionary<DropReason, long> DroppedByReason => Reasons.ToDictionary(r => r, Dropped);

    internal void CountSent(bool consensus) => Interlocked.Increment(ref consensus ? ref _consensusSent : ref _transactionsSent);

    internal void CountReceived(bool consensus) => Interlocked.Increment(ref consensus ? ref _consensusReceived : ref _transactionsReceived);

    internal void CountDrop(DropReason reason) => Interlocked.Increment(ref _dropped[(int)reason]);

    internal void CountAuthFailure() => Interlocked.Increment(ref _authFailures);

    internal void CountConnection() => Interlocked.Increment(ref _connections);

    internal void CountReconnect() => Interlocked.Increment(ref _reconnects);
}
