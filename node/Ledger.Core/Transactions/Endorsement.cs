using Ledger.Core.Wire;

namespace Ledger.Core.Transactions;

/// <summary>
/// A signature on a transaction: <c>Endorsement { oneof signer { certificate = 1, public_key = 2 }, signature = 3, scope = 4 }</c>.
/// A signer is named by its X.509 certificate (DER) or, for a worker who signs with a bare key, by its
/// 65-byte public key.
/// </summary>
public sealed class Endorsement
{
    public ReadOnlyMemory<byte> Certificate { get; init; }

    public ReadOnlyMemory<byte> PublicKey { get; init; }

    public required ReadOnlyMemory<byte> Signature { get; init; }

    public EndorsementScope Scope { get; init; }

    /// <summary>SM3 of what names the signer: the certificate's DER (= the certificate id), or the bare public key.</summary>
    public Hash32 SignerId(Crypto.IHasher hasher) => hasher.Hash(Certificate.IsEmpty ? PublicKey.Span : Certificate.Span);

    public byte[] Encode()
    {
        var w = new ProtoWriter(Certificate.Length + 160);
        WriteTo(w);
        return w.ToArray();
    }

    internal void WriteTo(ProtoWriter w)
    {
        if (Certificate.IsEmpty == PublicKey.IsEmpty)
            throw new LedgerException(ErrorCode.InvalidFieldValue, "an endorsement names its signer by exactly one of certificate and public key");
        w.WriteBytes(1, Certificate.Span);
        w.WriteBytes(2, PublicKey.Span);
        w.WriteBytes(3, Signature.Span);
        w.WriteUInt32(4, (uint)Scope);
    }

    public static Endorsement Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "Endorsement");
        ReadOnlyMemory<byte> certificate = default, publicKey = default, signature = default;
        var scope = EndorsementScope.Body;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1:
                    var cert = r.ReadBytes();
                    if (cert.Length > EncodingLimits.MaxCertificateBytes) throw new LedgerException(ErrorCode.Oversize, $"Endorsement: certificate of {cert.Length} bytes");
                    certificate = cert.ToArray();
                    break;
                case 2:
                    if (!certificate.IsEmpty) throw r.Invalid("Endorsement: both certificate and public key");
                    var key = r.ReadBytes();
                    if (key.Length != 65) throw r.Invalid($"Endorsement: public key of {key.Length} bytes, expected 65");
                    publicKey = key.ToArray();
                    break;
                case 3:
                    var sig = r.ReadBytes();
                    if (sig.Length > EncodingLimits.MaxSignatureBytes) throw new LedgerException(ErrorCode.Oversize, $"Endorsement: signature of {sig.Length} bytes");
                    signature = sig.ToArray();
                    break;
                case 4:
                    var s = r.ReadUInt32();
                    scope = s == (uint)EndorsementScope.Statement ? EndorsementScope.Statement : throw r.Invalid($"Endorsement: unknown scope {s}");
                    break;
                default: throw r.UnknownField(field);
            }
        }
        if (certificate.IsEmpty && publicKey.IsEmpty) throw r.Missing("Endorsement.signer");
        return new Endorsement
        {
            Certificate = certificate,
            PublicKey = publicKey,
            Signature = signature.IsEmpty ? throw r.Missing("Endorsement.signature") : signature,
            Scope = scope,
        };
    }
}
