using Ledger.Consensus.Events;
using Ledger.Consensus.Messages;
using Ledger.Consensus.Signing;
using Ledger.Consensus.StateMachine;
using Ledger.Consensus.Validation;
using Ledger.Consensus.Wal;
using Ledger.Core;

namespace Ledger.Consensus;

/// <summary>
/// The QBFT consensus core: a pure state machine. The host's loop feeds it one <see cref="ConsensusEvent"/> at a time
/// through <see cref="Handle"/> (never concurrently); it acts only through the <see cref="ConsensusPorts"/>. It has no
/// clock, no threads and no I/O of its own. On construction it reads the WAL, so after a restart it re-sends, and never
/// contradicts, what it signed before.
/// </summary>
public sealed class QbftEngine
{
    private readonly ConsensusOptions _options;
    private readonly ConsensusPorts _ports;
    private readonly SigningGuard _guard;
    private readonly SigningGate _gate;
    private readonly OwnMessages _own;
    private readonly EquivocationDetector _equivocations;
    private readonly FutureMessageBuffer _future;
    private readonly Queue<(SignedMessage Message, bool Own, bool Verified)> _queue = new();
    private readonly VerifiedSignatures _verified;
    private readonly AdaptiveRoundTimeouts _timeouts;
    private HeightManager? _height;

    public QbftEngine(ConsensusOptions options, ConsensusPorts ports)
    {
        _options = options;
        _verified = new VerifiedSignatures(ports.Keys, Metrics);
        _ports = ports with { Keys = _verified };
        _timeouts = new AdaptiveRoundTimeouts(options);
        _guard = SigningGuard.FromWal(ports.Wal.ReadAll());
        _gate = new SigningGate(ports.Watermark, options.HoldSigningUntilReleased);
        _own = new OwnMessages(options.ChainId, ports, _guard, _gate, Metrics, m => _queue.Enqueue((m, true, true)));
        _equivocations = new EquivocationDetector(options.MaxEquivocationEvidence);
        _future = new FutureMessageBuffer(options.FutureBufferPerValidator);
    }

    public ConsensusMetrics Metrics { get; } = new();

    /// <summary>What round <paramref name="round"/> of the current height waits, with what recent heights taught (see <see cref="AdaptiveRoundTimeouts"/>).</summary>
    public TimeSpan RoundTimeoutFor(uint round) => _timeouts.For(round);

    /// <summary>The height being decided; 0 before the first <see cref="NewHeight"/>.</summary>
    public ulong Height => _height?.Height ?? 0;

    public uint Round => _height?.Round ?? 0;

    /// <summary>The highest height an authenticated message named: above <see cref="Height"/>, the host should run block sync.</summary>
    public ulong HighestSeenHeight { get; private set; }

    /// <summary>Conflicting messages signed by one validator for the same height, round and type (oldest first, bounded).</summary>
    public IReadOnlyList<EquivocationEvidence> Equivocations => _equivocations.Evidence;

    /// <summary>True until <see cref="ReleaseSigning"/> when <see cref="ConsensusOptions.HoldSigningUntilReleased"/> is set: nothing new is signed.</summary>
    public bool SigningHeld => _gate.Held;

    /// <summary>Heights at or below it are committed by the peers: this validator signs nothing new there (it syncs them).</summary>
    public ulong SigningFloor => _gate.Floor;

    /// <summary>
    /// The host learned that its peers committed up to <paramref name="committedByPeers"/>: sign nothing new at or below it.
    /// Only ever raised; the host passes a height that at least one correct validator vouches for.
    /// </summary>
    public void RaiseSigningFloor(ulong committedByPeers) => _gate.RaiseFloor(committedByPeers);

    /// <summary>
    /// Ends the hold of a started validator once the host knows how far its peers committed (catch up first, then sign),
    /// and signs what the current round is owed.
    /// </summary>
    public void ReleaseSigning(ulong committedByPeers)
    {
        _gate.RaiseFloor(committedByPeers);
        if (!_gate.Held) return;
        _gate.Release();
        _height?.Resume();
        Drain();
    }

    public void Handle(ConsensusEvent e)
    {
        switch (e)
        {
            case MessageReceived received: Receive(received.Bytes.Span); break;
            case RoundTimeout timeout when _height is { } h && timeout.Height == h.Height: h.OnTimeout(timeout.Round); break;
            case NewHeight next when next.Height > Height: StartHeight(next.Height); break;
            case TransactionsAvailable: _height?.OnTransactionsAvailable(); break;
        }
        Drain();
    }

    private void Receive(ReadOnlySpan<byte> bytes)
    {
        Metrics.CountReceived();
        SignedMessage message;
        try
        {
            message = SignedMessage.Decode(bytes);
        }
        catch (LedgerException e)
        {
            Metrics.CountDropped(e.Code);
            return;
        }
        _queue.Enqueue((message, false, false));
    }

    /// <summary>Processes queued messages (received, own, replayed) until none is left, moving to the next height on a decision.</summary>
    private void Drain()
    {
        while (true)
        {
            if (_height is { Decided: true } decided)
            {
                _timeouts.Decided(decided.DecidedRound);
                Metrics.SetTimeoutDoublings(_timeouts.Doublings);
                StartHeight(decided.Height + 1);
            }
            else if (_queue.TryDequeue(out var item)) Process(item.Message, item.Own, item.Verified);
            else return;
        }
    }

    private void Process(SignedMessage message, bool own, bool verified)
    {
        var result = Route(message, own, verified);
        if (result.IsValid) Metrics.CountAccepted();
        else if (!own) Metrics.CountDropped(result.Code);
    }

    private ValidationResult Route(SignedMessage message, bool own, bool verified)
    {
        if (message.Payload.ChainId != _options.ChainId)
            return ValidationResult.Fail(ErrorCode.WrongChainId, $"message for chain '{message.Payload.ChainId}'");
        if (_height is null || message.Height > _height.Height) return own ? ValidationResult.Valid : Buffer(message);
        if (message.Height < _height.Height) return ValidationResult.Fail(ErrorCode.StaleHeight, $"height {message.Height}, current {_height.Height}");
        if (!own)
        {
            var auth = PayloadAuthenticator.Check(message.Signed, _options.ChainId, _height.Validators, _ports.Keys, verifySignature: !verified);
            if (!auth.IsValid) return auth;
        }
        // Own messages too: a twin sharing this validator's key shows up as a conflict with them.
        if (message.Round <= _height.Round + (uint)_options.MaxFutureRounds && _equivocations.Observe(message.Signed))
            Metrics.CountEquivocation();
        return _height.OnMessage(message, own);
    }

    /// <summary>
    /// A message for a later height: authenticated now against the set the chain has scheduled for that height (a validator
    /// voted in speaks before its first height starts here), checked in full when its height comes.
    /// </summary>
    private ValidationResult Buffer(SignedMessage message)
    {
        if (_height is { } h)
        {
            if (message.Height > h.Height + (ulong)_options.MaxFutureHeights)
                return ValidationResult.Fail(ErrorCode.FutureTooFar, $"height {message.Height}, current {h.Height}");
            var auth = PayloadAuthenticator.Check(message.Signed, _options.ChainId, new ValidatorView(_ports.Keys.ValidatorsAt(message.Height)), _ports.Keys);
            if (!auth.IsValid) return auth;
        }
        else if (!_ports.Keys.Verify(message.Signer, message.Signed.SigningBytes(), message.Signed.Signature))
        {
            return ValidationResult.Fail(ErrorCode.InvalidSignature, "signature does not verify");
        }
        if (!_future.Add(message)) return ValidationResult.Fail(ErrorCode.BufferFull, $"future messages of {message.Signer}");
        Metrics.CountBuffered();
        HighestSeenHeight = Math.Max(HighestSeenHeight, message.Height);
        return ValidationResult.Valid;
    }

    private void StartHeight(ulong height)
    {
        _guard.ForgetBelow(height);
        _verified.Forget();
        _equivocations.ForgetBelow(height);
        var validators = new ValidatorView(_ports.Keys.ValidatorsAt(height));
        _height = new HeightManager(height, validators, _options, _ports, Metrics, _own, _guard.PreparedAt(height), _guard.HighestRoundAt(height) ?? 0, _timeouts.For);
        _height.Start();
        foreach (var message in _future.TakeFor(height)) _queue.Enqueue((message, false, true));
    }
}
