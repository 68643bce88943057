using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Consensus.Signing;

/// <summary>
/// Where a signed consensus message sits in the order a validator signs them — height, round, then step — and what it
/// said (<see cref="Digest"/>, and for a ROUND-CHANGE its prepared round). Within a round a validator signs its
/// ROUND-CHANGE (entering the round) before a PROPOSAL, the PROPOSAL before its PREPARE and the PREPARE before its COMMIT,
/// so the positions one honest validator signs only go up.
/// </summary>
public readonly record struct SigningPosition(ulong Height, uint Round, MessageType Type, Hash32 Digest, uint PreparedRound = 0)
    : IComparable<SigningPosition>
{
    /// <summary>The step within a round (0-3): ROUND-CHANGE, PROPOSAL, PREPARE, COMMIT.</summary>
    public int Step => Type switch
    {
        MessageType.RoundChange => 0,
        MessageType.Proposal => 1,
        MessageType.Prepare => 2,
        _ => 3,
    };

    /// <summary>The position of a payload about to be signed: a ROUND-CHANGE names its prepared digest (zero when none).</summary>
    public static SigningPosition Of(ConsensusPayload payload) => payload.Type == MessageType.RoundChange
        ? new SigningPosition(payload.Height, payload.Round, payload.Type, payload.PreparedDigest ?? Hash32.Zero, payload.PreparedRound)
        : new SigningPosition(payload.Height, payload.Round, payload.Type, payload.Digest ?? Hash32.Zero);

    /// <summary>Orders by slot (height, round, step) only; the contents do not order.</summary>
    public int CompareTo(SigningPosition other)
    {
        var c = Height.CompareTo(other.Height);
        if (c == 0) c = Round.CompareTo(other.Round);
        return c != 0 ? c : Step.CompareTo(other.Step);
    }

    /// <summary>The same slot and the same contents: signing it again says nothing new.</summary>
    public bool SaysTheSameAs(SigningPosition other) => CompareTo(other) == 0 && Digest == other.Digest && PreparedRound == other.PreparedRound;

    /// <summary>
    /// Whether <paramref name="next"/> may be signed after <paramref name="highest"/>: anything above it; the identical
    /// message again (a restart between the watermark and the WAL); never a lower slot, nor the same slot saying otherwise.
    /// </summary>
    public static ValidationResult MayFollow(SigningPosition? highest, SigningPosition next)
    {
        if (highest is not { } h) return ValidationResult.Valid;
        var c = next.CompareTo(h);
        if (c > 0 || next.SaysTheSameAs(h)) return ValidationResult.Valid;
        return c == 0
            ? ValidationResult.Fail(ErrorCode.ConflictingSignatureRefused, $"{next} conflicts with {h}, signed before")
            : ValidationResult.Fail(ErrorCode.BelowSigningWatermark, $"{next} is below {h}, the highest this key signed");
    }

    public override string ToString() => $"{Type} at ({Height}, {Round}) for {Digest.ToHex()[..16]}";
}
