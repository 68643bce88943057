using System.Collections.Concurrent;
using Ledger.Core;

namespace Ledger.Consensus;

/// <summary>
/// Counters for /metrics. The engine writes from its one loop; readers on other threads see consistent numbers
/// (each counter is atomic). Dropped messages are counted by reason, the <see cref="ErrorCode"/> that refused them.
/// </summary>
public sealed class ConsensusMetrics
{
    private readonly ConcurrentDictionary<ErrorCode, long> _dropped = new();
    private long _received, _accepted, _sent, _committed, _roundChanges, _timeouts, _equivocations, _buffered, _refusedSignatures, _heldSignatures, _signatureChecksSaved, _timeoutDoublings;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages that passed every check and changed (or confirmed) the state.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Own signed messages sent (re-sends included).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public long HeightsCommitted => Interlocked.Read(ref _committed);

    /// <summary>Rounds above 0 entered, by timeout, by the f+1 rule or by a justified proposal.</summary>
    public long RoundChanges => Interlocked.Read(ref _roundChanges);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    public long Equivocations => Interlocked.Read(ref _equivocations);

    public long FutureBuffered => Interlocked.Read(ref _buffered);

    /// <summary>Times the WAL guard or the signing watermark refused to sign something conflicting with (or below) what this validator signed before.</summary>
    public long ConflictingSignaturesRefused => Interlocked.Read(ref _refusedSignatures);

    /// <summary>Signatures not made because signing was held: before the peers' heads were known, or at a height they committed already.</summary>
    public long SignaturesHeld => Interlocked.Read(ref _heldSignatures);

    /// <summary>Signature checks answered from the engine's memory of verified signatures (a PREPARE met again inside a ROUND-CHANGE or a justification).</summary>
    public long SignatureChecksSaved => Interlocked.Read(ref _signatureChecksSaved);

    /// <summary>Doublings of the round timeout learned from recent heights (0: the configured base).</summary>
    public long TimeoutDoublings => Interlocked.Read(ref _timeoutDoublings);

    public long TotalDropped => _dropped.Values.Sum();

    public long Dropped(ErrorCode reason) => _dropped.TryGetValue(reason, out var n) ? n : 0;

    public IReadOnlyDictionary<ErrorCode, long> DroppedByReason() => new Dictionary<ErrorCode, long>(_dropped);

    internal void CountReceived() => Interlocked.Increment(ref _received);
    internal void CountAccepted() => Interlocked.Increment(ref _accepted);
    internal void CountSent() => Interlocked.Increment(ref _sent);
    internal void CountCommitted() => Interlocked.Increment(ref _committed);
    internal void CountRoundChange() => Interlocked.Increment(ref _roundChanges);
    internal void CountTimeout() => Interlocked.Increment(ref _timeouts);
    internal void CountEquivocation() => Interlocked.Increment(ref _equivocations);
    internal void CountBuffered() => Interlocked.Increment(ref _buffered);
    internal void CountRefusedSignature() => Interlocked.Increment(ref _refusedSignatures);
    internal void CountHeldSignature() => Interlocked.Increment(ref _heldSignatures);
    internal void CountSignatureCheckSaved() => Interlocked.Increment(ref _signatureChecksSaved);
    internal void SetTimeoutDoublings(int doublings) => Interlocked.Exchange(ref _timeoutDoublings, doublings);
    internal void CountDropped(ErrorCode reason) => _dropped.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
