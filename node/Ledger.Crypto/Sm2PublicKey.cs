using System.Collections.Concurrent;
using Ledger.Core;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Math.EC;

namespace Ledger.Crypto;

/// <summary>
/// An SM2 public key: a validated point on sm2p256v1. Immutable and thread-safe. Caches Z_A for the default
/// signer ID and for a few other IDs, so repeated verification does not rehash the curve parameters.
/// </summary>
public sealed class Sm2PublicKey : IEquatable<Sm2PublicKey>
{
    private const int MaxCachedIds = 16;

    private readonly byte[] _bytes;
    private readonly byte[] _defaultZ;
    private readonly ConcurrentDictionary<string, byte[]> _otherZ = new(StringComparer.Ordinal);

    private Sm2PublicKey(byte[] bytes, ECPoint point)
    {
        _bytes = bytes;
        Point = point;
        Id = Sm3.Hash(bytes);
        _defaultZ = Sm2Domain.Recommended.ComputeZ(Sm2.DefaultSignerId, point);
    }

    /// <summary>SM3 of the 65-byte uncompressed encoding: how the ledger names a key.</summary>
    public Hash32 Id { get; }

    internal ECPoint Point { get; }

    public static bool TryFromBytes(ReadOnlySpan<byte> uncompressed65, out Sm2PublicKey? key, out ValidationResult error)
    {
        key = null;
        if (!Sm2Domain.Recommended.TryDecodePoint(uncompressed65, out var point, out var reason))
        {
            error = ValidationResult.Fail(ErrorCode.InvalidPublicKey, reason!);
            return false;
        }
        key = new Sm2PublicKey(uncompressed65.ToArray(), point!);
        error = ValidationResult.Valid;
        return true;
    }

    public static Sm2PublicKey FromBytes(ReadOnlySpan<byte> uncompressed65) =>
        TryFromBytes(uncompressed65, out var key, out var error) ? key! : throw new LedgerException(error.Code, error.Reason!);

    internal static Sm2PublicKey FromPoint(ECPoint point) => FromBytes(Sm2Domain.Recommended.EncodePoint(point));

    /// <summary>Reads a SubjectPublicKeyInfo ("PUBLIC KEY") for an EC key on sm2p256v1, as openssl writes it.</summary>
    public static Sm2PublicKey FromPem(string spkiPem)
    {
        var (_, der) = Pem.Decode(spkiPem, ErrorCode.InvalidPublicKey, "PUBLIC KEY");
        return FromSubjectPublicKeyInfo(der);
    }

    internal static Sm2PublicKey FromSubjectPublicKeyInfo(byte[] der)
    {
        try
        {
            return FromSubjectPublicKeyInfo(SubjectPublicKeyInfo.GetInstance(Asn1Failure.ParseDer(der)));
        }
        catch (Exception e) when (Asn1Failure.IsParseFailure(e))
        {
            throw new LedgerException(ErrorCode.InvalidPublicKey, "public key is not a DER SubjectPublicKeyInfo", e);
        }
    }

    internal static Sm2PublicKey FromSubjectPublicKeyInfo(SubjectPublicKeyInfo info)
    {
        if (!IsSm2Algorithm(info.Algorithm))
            throw new LedgerException(ErrorCode.InvalidPublicKey, $"public key algorithm {info.Algorithm.Algorithm} is not an EC key on sm2p256v1");
        var bits = info.PublicKey;
        if (bits.PadBits != 0)
            throw new LedgerException(ErrorCode.InvalidPublicKey, "public key BIT STRING has padding bits");
        return FromBytes(bits.GetOctets());
    }

    internal static bool IsSm2Algorithm(AlgorithmIdentifier algorithm) =>
        (algorithm.Algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey) || algorithm.Algorithm.Equals(GMObjectIdentifiers.sm2p256v1))
        && algorithm.Parameters is DerObjectIdentifier curve && curve.Equals(GMObjectIdentifiers.sm2p256v1);

    internal SubjectPublicKeyInfo ToSubjectPublicKeyInfo() =>
        new(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, GMObjectIdentifiers.sm2p256v1), _bytes);

    public string ToPem() => Pem.Encode("PUBLIC KEY", ToSubjectPublicKeyInfo().GetEncoded(Asn1Encodable.Der));

    /// <summary>04 || X || Y.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    internal ReadOnlySpan<byte> Bytes => _bytes;

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> derSignature, ReadOnlySpan<byte> signerId = default) =>
        VerifyDetailed(message, derSignature, signerId).IsValid;

    /// <summary>
    /// Verifies and says why not: <see cref="ErrorCode.InvalidSignatureEncoding"/> for anything but canonical DER,
    /// <see cref="ErrorCode.InvalidSignature"/> for r or s outside [1, n-1] or a failed equation,
    /// <see cref="ErrorCode.InvalidCryptoParameter"/> for an over-long signer ID.
    /// </summary>
    public ValidationResult VerifyDetailed(ReadOnlySpan<byte> message, ReadOnlySpan<byte> derSignature, ReadOnlySpan<byte> signerId = default)
    {
        if (signerId.Length > Sm2.MaxSignerIdLength)
            return ValidationResult.Fail(ErrorCode.InvalidCryptoParameter, $"an SM2 signer ID is at most {Sm2.MaxSignerIdLength} bytes");
        return VerifyWithZ(GetZ(signerId), message, derSignature);
    }

    internal ValidationResult VerifyWithZ(ReadOnlySpan<byte> z, ReadOnlySpan<byte> message, ReadOnlySpan<byte> derSignature)
    {
        var domain = Sm2Domain.Recommended;
        if (!Sm2SignatureEncoding.TryDecode(derSignature, out var r, out var s, out var reason))
            return ValidationResult.Fail(ErrorCode.InvalidSignatureEncoding, reason);
        if (!domain.InScalarRange(r))
            return ValidationResult.Fail(ErrorCode.InvalidSignature, "r is outside [1, n-1]");
        if (!domain.InScalarRange(s))
            return ValidationResult.Fail(ErrorCode.InvalidSignature, "s is outside [1, n-1]");
        var e = Sm2Domain.ComputeE(z, message);
        return domain.Verify(Point, e, r, s)
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.InvalidSignature, "signature does not verify for this key, signer ID and message");
    }

    /// <summary>Z_A for a signer ID (empty = default). Throws <see cref="LedgerException"/> for an ID over 8191 bytes.</summary>
    internal byte[] GetZ(ReadOnlySpan<byte> signerId)
    {
        var id = Sm2.EffectiveId(signerId);
        if (id.SequenceEqual(Sm2.DefaultSignerId)) return _defaultZ;
        if (id.Length > 256) return Sm2Domain.Recommended.ComputeZ(id, Point); // long IDs are not worth caching
        var cacheKey = Convert.ToHexString(id);
        if (_otherZ.TryGetValue(cacheKey, out var z)) return z;
        z = Sm2Domain.Recommended.ComputeZ(id, Point);
        if (_otherZ.Count >= MaxCachedIds) _otherZ.Clear();
        _otherZ[cacheKey] = z;
        return z;
    }

    public bool Equals(Sm2PublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Sm2PublicKey);

    public override int GetHashCode() => Id.GetHashCode();

    public static bool operator ==(Sm2PublicKey? left, Sm2PublicKey? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Sm2PublicKey? left, Sm2PublicKey? right) => !(left == right);

    public override string ToString() => Convert.ToHexStringLower(_bytes);
}
