using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Consensus.Signing;
using Ledger.Consensus.Wal;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.StateMachine;

/// <summary>
/// Signs, logs and sends this validator's messages, in that order: the WAL append (fsynced by the port) comes before the
/// transport ever sees a message. Asks the <see cref="SigningGuard"/> first: an identical message already signed is
/// re-sent, a conflicting one is refused. Then the <see cref="SigningGate"/>: nothing new while signing is held or at a
/// height the peers committed, nothing at or below the signing watermark, which is advanced on disk before the signature
/// exists. Every sent message is also handed back to the engine to apply to its own state. A node that is not in the
/// validator set signs nothing. A refused message is null to the caller.
/// </summary>
internal sealed class OwnMessages
{
    private readonly string _chainId;
    private readonly ConsensusPorts _ports;
    private readonly SigningGuard _guard;
    private readonly SigningGate _gate;
    private readonly ConsensusMetrics _metrics;
    private readonly Action<SignedMessage> _applyLocally;

    public OwnMessages(string chainId, ConsensusPorts ports, SigningGuard guard, SigningGate gate, ConsensusMetrics metrics, Action<SignedMessage> applyLocally)
    {
        _chainId = chainId;
        _ports = ports;
        _guard = guard;
        _gate = gate;
        _metrics = metrics;
        _applyLocally = applyLocally;
    }

    /// <summary>This validator's certificate id at a height (it changes at a Replace of its own certificate).</summary>
    public Hash32 SelfAt(ulong height) => _ports.Signer.ValidatorIdAt(height);

    public SignedMessage? Existing(ulong height, uint round, MessageType type) => _guard.Existing(height, round, type);

    /// <summary>
    /// The watermark is in this round at a PROPOSAL or PREPARE for another block: what the WAL's own messages would say,
    /// after a restore that lost the WAL. Accepting this proposal would lead to a COMMIT for a block it did not prepare.
    /// </summary>
    public bool WatermarkNamesAnotherBlock(ulong height, uint round, Hash32 digest) =>
        _gate.Watermark.Highest is { } w && w.Height == height && w.Round == round && w.Type is MessageType.Proposal or MessageType.Prepare && w.Digest != digest;

    /// <summary>Whether new signatures at the height wait (held, or the peers committed it): what is refused now may be signed later.</summary>
    public bool HeldAt(ulong height) => _gate.Held || height <= _gate.Floor;

    public IEnumerable<SignedMessage> SignedInRound(ulong height, uint round) => _guard.SignedIn(height, round).ToList();

    public SignedMessage? Proposal(ulong height, uint round, ProposedBlock block, IReadOnlyList<SignedPayload> roundChanges, IReadOnlyList<SignedPayload> prepares)
    {
        if (_guard.Existing(height, round, MessageType.Proposal) is { } sent) return Resend(sent);
        var payload = new ConsensusPayload { Type = MessageType.Proposal, ChainId = _chainId, Height = height, Round = round, Digest = block.Hash };
        if (!MaySign(payload)) return null;
        return Send(new SignedMessage(Sign(payload), block.Bytes, roundChanges, prepares));
    }

    public SignedMessage? Prepare(ulong height, uint round, Hash32 digest) =>
        Vote(new ConsensusPayload { Type = MessageType.Prepare, ChainId = _chainId, Height = height, Round = round, Digest = digest });

    public SignedMessage? Commit(ulong height, uint round, Hash32 digest)
    {
        if (RefuseConflict(height, round, MessageType.Commit, digest, out var sent)) return sent;
        var payload = new ConsensusPayload { Type = MessageType.Commit, ChainId = _chainId, Height = height, Round = round, Digest = digest };
        if (!MaySign(payload)) return null;
        var seal = _ports.Signer.SignAt(height, CommitSeal.SigningMessage(_chainId, height, round, digest));
        return Send(new SignedMessage(Sign(payload with { CommitSeal = seal })));
    }

    /// <summary>One ROUND-CHANGE per round: asked again (a restart, a catch-up) it re-sends the first.</summary>
    public SignedMessage? RoundChange(ulong height, uint round, PreparedCertificate? prepared)
    {
        if (_guard.Existing(height, round, MessageType.RoundChange) is { } sent) return Resend(sent);
        var payload = new ConsensusPayload
        {
            Type = MessageType.RoundChange, ChainId = _chainId, Height = height, Round = round,
            PreparedRound = prepared?.Round ?? 0, PreparedDigest = prepared?.Block.Hash,
        };
        if (!MaySign(payload)) return null;
        return Send(new SignedMessage(Sign(payload), prepared?.Block.Bytes, null, prepared?.Prepares));
    }

    /// <summary>Logs the prepared certificate before the COMMIT it leads to, so a restart still reports it in its round changes.</summary>
    public void RecordPrepared(ulong height, PreparedCertificate prepared)
    {
        _ports.Wal.Append(WalRecord.PreparedAt(height, prepared));
        _guard.RecordPrepared(height, prepared);
    }

    public SignedMessage Resend(SignedMessage message)
    {
        _ports.Transport.Broadcast(message);
        _metrics.CountSent();
        _applyLocally(message);
        return message;
    }

    public void SendTo(Hash32 validator, SignedMessage message)
    {
        _ports.Transport.Send(validator, message);
        _metrics.CountSent();
    }

    private SignedMessage? Vote(ConsensusPayload payload)
    {
        if (RefuseConflict(payload.Height, payload.Round, payload.Type, payload.Digest!.Value, out var sent)) return sent;
        if (!MaySign(payload)) return null;
        return Send(new SignedMessage(Sign(payload)));
    }

    /// <summary>Asks the gate (which advances the watermark on yes); a refusal is counted, never signed.</summary>
    private bool MaySign(ConsensusPayload payload)
    {
        var verdict = _gate.Authorize(SigningPosition.Of(payload));
        if (verdict.IsValid) return true;
        if (verdict.Code == ErrorCode.SigningHeld) _metrics.CountHeldSignature();
        else _metrics.CountRefusedSignature();
        return false;
    }

    /// <summary>True when something was already signed for the slot: the same digest is re-sent, another is refused (null).</summary>
    private bool RefuseConflict(ulong height, uint round, MessageType type, Hash32 digest, out SignedMessage? sent)
    {
        sent = null;
        if (_guard.Existing(height, round, type) is not { } existing) return false;
        if (existing.Payload.Digest == digest) sent = Resend(existing);
        else _metrics.CountRefusedSignature();
        return true;
    }

    private SignedPayload Sign(ConsensusPayload payload)
    {
        var bytes = payload.Encode();
        return new SignedPayload(payload, bytes, SelfAt(payload.Height), _ports.Signer.SignAt(payload.Height, MessageSigning.SigningBytes(bytes)));
    }

    private SignedMessage Send(SignedMessage message)
    {
        _ports.Wal.Append(WalRecord.Own(message));
        _guard.Record(message);
        return Resend(message);
    }
}
