using Ledger.Core;
using Ledger.Core.Wire;

namespace Ledger.Consensus.Messages;

/// <summary>
/// A consensus message on the wire: the sender's signed payload plus what justifies it, which carries its own signatures.
/// <c>SignedMessage { payload = 1, signer = 2, signature = 3, block = 4, repeated round_changes = 5, repeated prepares = 6 }</c>.
/// <list type="bullet">
/// <item>PROPOSAL: the block; for round &gt; 0 a ROUND-CHANGE quorum for that round and, when one of them prepared a block,
/// the PREPARE quorum for the highest prepared round (Moniz's JustifyPrePrepare).</item>
/// <item>ROUND-CHANGE: when prepared, the prepared block and its PREPARE quorum (so any validator can check it alone).</item>
/// <item>PREPARE, COMMIT: nothing more.</item>
/// </list>
/// </summary>
public sealed class SignedMessage
{
    public const int MaxEncodedBytes = EncodingLimits.MaxBlockBytes + 2 * EncodingLimits.MaxSeals * (SignedPayload.MaxEncodedBytes + 4) + SignedPayload.MaxEncodedBytes;

    private byte[]? _bytes;

    public SignedMessage(SignedPayload signed, byte[]? block = null, IReadOnlyList<SignedPayload>? roundChanges = null, IReadOnlyList<SignedPayload>? prepares = null)
    {
        Signed = signed;
        Block = block;
        RoundChanges = roundChanges ?? [];
        Prepares = prepares ?? [];
    }

    public SignedPayload Signed { get; }

    public byte[]? Block { get; }

    public IReadOnlyList<SignedPayload> RoundChanges { get; }

    public IReadOnlyList<SignedPayload> Prepares { get; }

    public ConsensusPayload Payload => Signed.Payload;

    public MessageType Type => Signed.Payload.Type;

    public ulong Height => Signed.Payload.Height;

    public uint Round => Signed.Payload.Round;

    public Hash32 Signer => Signed.Signer;

    /// <summary>The block this message names with its bytes: a proposal's block or a round change's prepared block.</summary>
    public ProposedBlock? ProposedBlock => Block is null ? null
        : new ProposedBlock(Type == MessageType.Proposal ? Payload.Digest!.Value : Payload.PreparedDigest!.Value, Block);

    /// <summary>The canonical encoding, computed once.</summary>
    public byte[] Bytes => _bytes ??= Encode();

    private byte[] Encode()
    {
        var w = new ProtoWriter((Block?.Length ?? 0) + 256 + 256 * (RoundChanges.Count + Prepares.Count));
        Signed.WriteTo(w);
        if (Block is not null) w.WriteBytes(4, Block);
        foreach (var rc in RoundChanges) w.WriteLengthDelimited(5, rc.Encode());
        foreach (var p in Prepares) w.WriteLengthDelimited(6, p.Encode());
        return w.ToArray();
    }

    /// <summary>Strict decoding; any violation is a <see cref="LedgerException"/> (the engine drops and counts it).</summary>
    public static SignedMessage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxEncodedBytes) throw new LedgerException(ErrorCode.Oversize, $"SignedMessage: {bytes.Length} bytes");
        var r = new ProtoReader(bytes, "SignedMessage", 5, 6);
        byte[]? payload = null, signature = null, block = null;
        Hash32? signer = null;
        var roundChanges = new List<SignedPayload>();
        var prepares = new List<SignedPayload>();
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1:
                    var p = r.ReadBytes();
                    if (p.Length > ConsensusPayload.MaxEncodedBytes) throw new LedgerException(ErrorCode.Oversize, "SignedMessage: payload too large");
                    payload = p.ToArray();
                    break;
                case 2: signer = r.ReadHash(); break;
                case 3:
                    var s = r.ReadBytes();
                    if (s.Length > EncodingLimits.MaxSignatureBytes) throw r.Invalid($"signature of {s.Length} bytes");
                    signature = s.ToArray();
                    break;
                case 4: block = r.ReadBytes().ToArray(); break;
                case 5:
                    if (roundChanges.Count == EncodingLimits.MaxSeals) throw new LedgerException(ErrorCode.Oversize, "SignedMessage: too many round changes");
                    roundChanges.Add(SignedPayload.Decode(r.ReadLengthDelimited()));
                    break;
                case 6:
                    if (prepares.Count == EncodingLimits.MaxSeals) throw new LedgerException(ErrorCode.Oversize, "SignedMessage: too many prepares");
                    prepares.Add(SignedPayload.Decode(r.ReadLengthDelimited()));
                    break;
                default: throw r.UnknownField(field);
            }
        }
        if (payload is null) throw r.Missing("SignedMessage.payload");
        var signed = new SignedPayload(ConsensusPayload.Decode(payload), payload, signer ?? throw r.Missing("SignedMessage.signer"), signature ?? throw r.Missing("SignedMessage.signature"));
        var message = new SignedMessage(signed, block, roundChanges, prepares);
        var shape = message.CheckShape();
        if (shape is not null) throw r.Invalid(shape);
        message._bytes = bytes.ToArray();
        return message;
    }

    /// <summary>What each type carries beside its payload; null when well formed. Semantic checks are the validators' job.</summary>
    internal string? CheckShape()
    {
        var payload = Signed.Payload;
        switch (payload.Type)
        {
            case MessageType.Proposal:
                if (Block is null) return "a PROPOSAL without its block";
                if (payload.Round == 0 && (RoundChanges.Count > 0 || Prepares.Count > 0)) return "a round-0 PROPOSAL with a justification";
                if (payload.Round > 0 && RoundChanges.Count == 0) return "a PROPOSAL for a later round without round changes";
                return null;
            case MessageType.RoundChange:
                if (RoundChanges.Count > 0) return "a ROUND-CHANGE carrying round changes";
                if (payload.IsPrepared != (Block is not null)) return "a ROUND-CHANGE's prepared block must come with its prepared digest";
                if (payload.IsPrepared != (Prepares.Count > 0)) return "a ROUND-CHANGE's prepares must come with its prepared digest";
                return null;
            default:
                return Block is null && RoundChanges.Count == 0 && Prepares.Count == 0 ? null : $"a {payload.Type} carrying a block or certificates";
        }
    }
}
