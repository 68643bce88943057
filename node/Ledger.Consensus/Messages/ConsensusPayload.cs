using Ledger.Core;
using Ledger.Core.Wire;

namespace Ledger.Consensus.Messages;

/// <summary>
/// What a validator signs in a consensus message:
/// <c>ConsensusPayload { type = 1, chain_id = 2, height = 3, round = 4, digest = 5, commit_seal = 6, prepared_round = 7, prepared_digest = 8 }</c>.
/// PROPOSAL, PREPARE and COMMIT name a block by <c>digest</c>; COMMIT adds its seal over
/// <see cref="Ledger.Core.Blocks.CommitSeal.SigningMessage"/>; ROUND-CHANGE names the round it moves to and, if the sender
/// prepared a block earlier in the height, that round and digest (a prepared round of 0 is omitted on the wire, so the
/// digest alone says "prepared"). Decoding is strict: a field a type does not use is malformed.
/// </summary>
public sealed record ConsensusPayload
{
    public const int MaxEncodedBytes = 512;

    public required MessageType Type { get; init; }
    public required string ChainId { get; init; }
    public required ulong Height { get; init; }
    public required uint Round { get; init; }

    /// <summary>The block hash: PROPOSAL, PREPARE, COMMIT.</summary>
    public Hash32? Digest { get; init; }

    /// <summary>COMMIT only: the SM2 seal (DER) that goes into the block's commit certificate.</summary>
    public byte[]? CommitSeal { get; init; }

    /// <summary>ROUND-CHANGE only, meaningful when <see cref="PreparedDigest"/> is set.</summary>
    public uint PreparedRound { get; init; }

    /// <summary>ROUND-CHANGE only: the block the sender prepared in <see cref="PreparedRound"/>, if any.</summary>
    public Hash32? PreparedDigest { get; init; }

    public bool IsPrepared => PreparedDigest is not null;

    public byte[] Encode()
    {
        var w = new ProtoWriter(160);
        w.WriteUInt32(1, (uint)Type);
        w.WriteString(2, ChainId);
        w.WriteUInt64(3, Height);
        w.WriteUInt32(4, Round);
        if (Digest is { } digest) w.WriteHash(5, digest);
        if (CommitSeal is { } seal) w.WriteBytes(6, seal);
        w.WriteUInt32(7, PreparedRound);
        if (PreparedDigest is { } prepared) w.WriteHash(8, prepared);
        var bytes = w.ToArray();
        return bytes.Length <= MaxEncodedBytes ? bytes : throw new LedgerException(ErrorCode.Oversize, $"ConsensusPayload: {bytes.Length} bytes");
    }

    public static ConsensusPayload Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxEncodedBytes) throw new LedgerException(ErrorCode.Oversize, $"ConsensusPayload: {bytes.Length} bytes");
        var r = new ProtoReader(bytes, "ConsensusPayload");
        uint type = 0, round = 0, preparedRound = 0;
        ulong height = 0;
        string? chainId = null;
        Hash32? digest = null, preparedDigest = null;
        byte[]? seal = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: type = r.ReadUInt32(); break;
                case 2: chainId = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 3: height = r.ReadUInt64(); break;
                case 4: round = r.ReadUInt32(); break;
                case 5: digest = r.ReadHash(); break;
                case 6:
                    var s = r.ReadBytes();
                    if (s.Length > EncodingLimits.MaxSignatureBytes) throw r.Invalid($"commit seal of {s.Length} bytes");
                    seal = s.ToArray();
                    break;
                case 7: preparedRound = r.ReadUInt32(); break;
                case 8: preparedDigest = r.ReadHash(); break;
                default: throw r.UnknownField(field);
            }
        }
        var payload = new ConsensusPayload
        {
            Type = type is >= 1 and <= 4 ? (MessageType)type : throw r.Invalid($"message type {type}"),
            ChainId = chainId ?? throw r.Missing("ConsensusPayload.chain_id"),
            Height = height != 0 ? height : throw r.Missing("ConsensusPayload.height"),
            Round = round,
            Digest = digest,
            CommitSeal = seal,
            PreparedRound = preparedRound,
            PreparedDigest = preparedDigest,
        };
        var shape = payload.CheckShape();
        return shape is null ? payload : throw r.Invalid(shape);
    }

    /// <summary>Which fields each type carries; null when the payload is well formed.</summary>
    private string? CheckShape()
    {
        var isRoundChange = Type == MessageType.RoundChange;
        if (isRoundChange == Digest is not null) return isRoundChange ? "a ROUND-CHANGE carries no digest" : $"{Type} without a digest";
        if ((Type == MessageType.Commit) != CommitSeal is not null) return "a commit seal belongs to COMMIT alone";
        if (!isRoundChange && (PreparedRound != 0 || PreparedDigest is not null)) return $"{Type} with a prepared round";
        if (!isRoundChange) return null;
        if (Round == 0) return "a ROUND-CHANGE to round 0";
        if (PreparedDigest is null && PreparedRound != 0) return "a prepared round without a prepared digest";
        return PreparedDigest is not null && PreparedRound >= Round ? "prepared round not below the target round" : null;
    }
}
