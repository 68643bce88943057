using Ledger.Core;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Utilities;

namespace Ledger.Crypto;

/// <summary>
/// An SM2 private key. Signs messages (never bare digests: Z_A and the hash are always computed here, so a
/// caller cannot be tricked into signing a digest of someone else's choosing). The scalar is kept as a byte
/// array and zeroed on <see cref="Dispose"/>; the big integers built from it for each signature are
/// short-lived, which is the best managed code can do. Thread-safe until disposed.
/// </summary>
public sealed class Sm2PrivateKey : IDisposable
{
    private readonly byte[] _scalar;
    private volatile bool _disposed;

    private Sm2PrivateKey(byte[] scalar)
    {
        _scalar = scalar;
        var d = new BigInteger(1, scalar);
        PublicKey = Sm2PublicKey.FromPoint(Sm2Domain.Recommended.MultiplyBase(d));
    }

    public Sm2PublicKey PublicKey { get; }

    public static Sm2PrivateKey Generate()
    {
        var domain = Sm2Domain.Recommended;
        var nMinus1 = domain.N.Subtract(BigInteger.One);
        while (true)
        {
            var d = domain.RandomScalar();
            if (d.CompareTo(nMinus1) < 0) return new Sm2PrivateKey(BigIntegers.AsUnsignedByteArray(Sm2.PrivateKeySize, d));
        }
    }

    /// <summary>A key from its 32-byte big-endian scalar d, which must lie in [1, n-2] (GB/T 32918.1 §6.1: 1+d must be invertible).</summary>
    public static Sm2PrivateKey FromScalar(ReadOnlySpan<byte> d32)
    {
        if (d32.Length != Sm2.PrivateKeySize)
            throw new LedgerException(ErrorCode.InvalidPrivateKey, $"an SM2 private key is {Sm2.PrivateKeySize} bytes, got {d32.Length}");
        var d = new BigInteger(1, d32);
        if (d.SignValue <= 0 || d.CompareTo(Sm2Domain.Recommended.N.Subtract(BigInteger.One)) >= 0)
            throw new LedgerException(ErrorCode.InvalidPrivateKey, "an SM2 private key must lie in [1, n-2]");
        return new Sm2PrivateKey(d32.ToArray());
    }

    /// <summary>Signs <paramref name="message"/> for a signer ID (empty = the GM/T 0009 default) and returns the DER signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signerId = default) =>
        SignCore(message, signerId, Sm2Domain.Recommended.RandomScalar);

    /// <summary>Test hook for the published known answers, which fix k. Never public: a repeated k reveals the key.</summary>
    internal byte[] SignWithFixedK(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signerId, ReadOnlySpan<byte> k)
    {
        var fixedK = new BigInteger(1, k);
        return SignCore(message, signerId, () => fixedK);
    }

    private byte[] SignCore(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signerId, Func<BigInteger> nextK)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var z = PublicKey.GetZ(signerId);
        var e = Sm2Domain.ComputeE(z, message);
        var (r, s) = Sm2Domain.Recommended.Sign(new BigInteger(1, _scalar), e, nextK);
        return Sm2SignatureEncoding.Encode(r, s);
    }

    /// <summary>PKCS#8 PrivateKeyInfo (id-ecPublicKey, named curve sm2p256v1, public key included), as "PRIVATE KEY" PEM. Unencrypted: for export to other tools only.</summary>
    public string ToPkcs8Pem()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var der = ToPkcs8Der();
        try
        {
            return Pem.Encode("PRIVATE KEY", der);
        }
        finally
        {
            Array.Clear(der);
        }
    }

    internal byte[] ToPkcs8Der()
    {
        var algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, GMObjectIdentifiers.sm2p256v1);
        var ecKey = new ECPrivateKeyStructure(256, new BigInteger(1, _scalar), new DerBitString(PublicKey.Bytes.ToArray()), null);
        return new PrivateKeyInfo(algorithm, ecKey).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>Reads a PKCS#8 "PRIVATE KEY" (as openssl genpkey writes) or a SEC1 "EC PRIVATE KEY" on sm2p256v1.</summary>
    public static Sm2PrivateKey FromPem(string pem)
    {
        var (label, der) = Pem.Decode(pem, ErrorCode.InvalidPrivateKey, "PRIVATE KEY", "EC PRIVATE KEY");
        try
        {
            return label == "PRIVATE KEY" ? FromPkcs8(der) : FromSec1(der, requireCurve: true);
        }
        finally
        {
            Array.Clear(der);
        }
    }

    private static Sm2PrivateKey FromPkcs8(byte[] der)
    {
        try
        {
            var info = PrivateKeyInfo.GetInstance(Asn1Failure.ParseDer(der));
            if (!Sm2PublicKey.IsSm2Algorithm(info.PrivateKeyAlgorithm))
                throw new LedgerException(ErrorCode.InvalidPrivateKey, $"private key algorithm {info.PrivateKeyAlgorithm.Algorithm} is not an EC key on sm2p256v1");
            return FromSec1(info.ParsePrivateKey().GetEncoded(Asn1Encodable.Der), requireCurve: false);
        }
        catch (Exception e) when (Asn1Failure.IsParseFailure(e))
        {
            throw new LedgerException(ErrorCode.InvalidPrivateKey, "private key is not a valid PKCS#8 structure", e);
        }
    }

    private static Sm2PrivateKey FromSec1(byte[] der, bool requireCurve)
    {
        try
        {
            var structure = ECPrivateKeyStructure.GetInstance(Asn1Failure.ParseDer(der));
            var curve = structure.Parameters;
            if (curve is not null && !(curve is DerObjectIdentifier oid && oid.Equals(GMObjectIdentifiers.sm2p256v1)))
                throw new LedgerException(ErrorCode.InvalidPrivateKey, "private key is not on the curve sm2p256v1");
            if (requireCurve && curve is null)
                throw new LedgerException(ErrorCode.InvalidPrivateKey, "EC private key does not name its curve");
            var d = structure.GetKey();
            if (d.BitLength > 256)
                throw new LedgerException(ErrorCode.InvalidPrivateKey, "private key scalar is longer than 256 bits");
            var embedded = structure.PublicKey?.GetOctets();
            var scalar = BigIntegers.AsUnsignedByteArray(Sm2.PrivateKeySize, d);
            try
            {
                var key = FromScalar(scalar);
                if (embedded is not null && !embedded.AsSpan().SequenceEqual(key.PublicKey.Bytes))
                {
                    key.Dispose();
                    throw new LedgerException(ErrorCode.InvalidPrivateKey, "the public key stored with the private key does not match it");
                }
                return key;
            }
            finally
            {
                Array.Clear(scalar);
            }
        }
        catch (Exception e) when (Asn1Failure.IsParseFailure(e))
        {
            throw new LedgerException(ErrorCode.InvalidPrivateKey, "private key is not a valid SEC1 ECPrivateKey", e);
        }
    }

    /// <summary>The raw scalar, for the key file only.</summary>
    internal byte[] ExportScalar()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_scalar.Clone();
    }

    public void Dispose()
    {
        _disposed = true;
        Array.Clear(_scalar);
    }
}
