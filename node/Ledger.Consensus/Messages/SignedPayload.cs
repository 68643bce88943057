using Ledger.Core;
using Ledger.Core.Wire;

namespace Ledger.Consensus.Messages;

/// <summary>
/// A payload with its validator's signature: <c>SignedPayload { payload = 1, signer = 2, signature = 3 }</c>.
/// The unit of every certificate (a PREPARE quorum, a ROUND-CHANGE quorum) and of equivocation evidence:
/// anyone holding the validator's key can check it without the message around it.
/// </summary>
public sealed class SignedPayload
{
    public const int MaxEncodedBytes = ConsensusPayload.MaxEncodedBytes + 128;

    public SignedPayload(ConsensusPayload payload, byte[] payloadBytes, Hash32 signer, byte[] signature)
    {
        Payload = payload;
        PayloadBytes = payloadBytes;
        Signer = signer;
        Signature = signature;
    }

    public ConsensusPayload Payload { get; }

    /// <summary>The payload exactly as signed.</summary>
    public byte[] PayloadBytes { get; }

    /// <summary>The validator's certificate id.</summary>
    public Hash32 Signer { get; }

    public byte[] Signature { get; }

    public byte[] SigningBytes() => MessageSigning.SigningBytes(PayloadBytes);

    /// <summary>Same signer, same payload bytes (signatures may differ: SM2 is randomised).</summary>
    public bool SameContent(SignedPayload other) => Signer == other.Signer && PayloadBytes.AsSpan().SequenceEqual(other.PayloadBytes);

    public byte[] Encode()
    {
        var w = new ProtoWriter(PayloadBytes.Length + Signature.Length + 48);
        WriteTo(w);
        return w.ToArray();
    }

    internal void WriteTo(ProtoWriter w)
    {
        w.WriteBytes(1, PayloadBytes);
        w.WriteHash(2, Signer);
        w.WriteBytes(3, Signature);
    }

    public static SignedPayload Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxEncodedBytes) throw new LedgerException(ErrorCode.Oversize, $"SignedPayload: {bytes.Length} bytes");
        var r = new ProtoReader(bytes, "SignedPayload");
        byte[]? payload = null, signature = null;
        Hash32? signer = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: payload = r.ReadBytes().ToArray(); break;
                case 2: signer = r.ReadHash(); break;
                case 3:
                    var s = r.ReadBytes();
                    if (s.Length > EncodingLimits.MaxSignatureBytes) throw r.Invalid($"signature of {s.Length} bytes");
                    signature = s.ToArray();
                    break;
                default: throw r.UnknownField(field);
            }
        }
        if (payload is null) throw r.Missing("SignedPayload.payload");
        return new SignedPayload(
            ConsensusPayload.Decode(payload),
            payload,
            signer ?? throw r.Missing("SignedPayload.signer"),
            signature ?? throw r.Missing("SignedPayload.signature"));
    }
}
