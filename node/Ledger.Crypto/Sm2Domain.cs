using System.Buffers.Binary;
using Ledger.Core;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Utilities;

namespace Ledger.Crypto;

/// <summary>
/// The SM2 signature algorithm (GB/T 32918.2-2016 §6-7) over one curve, written on BouncyCastle's point
/// arithmetic. Parameterised by curve only so the standard's test-curve example can be checked too;
/// production code uses <see cref="Recommended"/>. Immutable, so safe to share between threads (BouncyCastle
/// guards its per-point precomputation tables with a lock).
/// </summary>
internal sealed class Sm2Domain
{
    private readonly byte[] _curveBytes; // a || b || xG || yG, the curve part of Z_A
    private readonly FixedPointCombMultiplier _baseMultiplier = new();

    public static Sm2Domain Recommended { get; } = new(CustomNamedCurves.GetByName("sm2p256v1"));

    public Sm2Domain(X9ECParameters parameters)
    {
        Curve = parameters.Curve;
        G = parameters.G.Normalize();
        N = parameters.N;
        FieldSize = (Curve.FieldSize + 7) / 8;
        _curveBytes = Arrays.ConcatenateAll(
            BigIntegers.AsUnsignedByteArray(FieldSize, Curve.A.ToBigInteger()),
            BigIntegers.AsUnsignedByteArray(FieldSize, Curve.B.ToBigInteger()),
            BigIntegers.AsUnsignedByteArray(FieldSize, G.AffineXCoord.ToBigInteger()),
            BigIntegers.AsUnsignedByteArray(FieldSize, G.AffineYCoord.ToBigInteger()));
    }

    public ECCurve Curve { get; }
    public ECPoint G { get; }
    public BigInteger N { get; }
    public int FieldSize { get; }

    public ECPoint MultiplyBase(BigInteger k) => _baseMultiplier.Multiply(G, k).Normalize();

    /// <summary>Z_A = SM3(ENTL_A || ID_A || a || b || xG || yG || xA || yA), §5.5.</summary>
    public byte[] ComputeZ(ReadOnlySpan<byte> id, ECPoint publicPoint)
    {
        if (id.Length > Sm2.MaxSignerIdLength)
            throw new LedgerException(ErrorCode.InvalidCryptoParameter, $"an SM2 signer ID is at most {Sm2.MaxSignerIdLength} bytes, got {id.Length}");
        var digest = new SM3Digest();
        Span<byte> entl = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(entl, (ushort)(id.Length * 8));
        digest.BlockUpdate(entl);
        digest.BlockUpdate(id);
        digest.BlockUpdate(_curveBytes);
        digest.BlockUpdate(BigIntegers.AsUnsignedByteArray(FieldSize, publicPoint.AffineXCoord.ToBigInteger()));
        digest.BlockUpdate(BigIntegers.AsUnsignedByteArray(FieldSize, publicPoint.AffineYCoord.ToBigInteger()));
        var z = new byte[Sm3.DigestSize];
        digest.DoFinal(z);
        return z;
    }

    /// <summary>e = SM3(Z_A || M) as an integer.</summary>
    public static BigInteger ComputeE(ReadOnlySpan<byte> z, ReadOnlySpan<byte> message)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(z);
        digest.BlockUpdate(message);
        var e = new byte[Sm3.DigestSize];
        digest.DoFinal(e);
        return new BigInteger(1, e);
    }

    /// <summary>True if 1 ≤ value ≤ n-1.</summary>
    public bool InScalarRange(BigInteger value) => value.SignValue > 0 && value.CompareTo(N) < 0;

    /// <summary>A uniformly random scalar in [1, n-1] (rejection sampling, no modular bias).</summary>
    public BigInteger RandomScalar()
    {
        Span<byte> buffer = stackalloc byte[FieldSize];
        try
        {
            while (true)
            {
                System.Security.Cryptography.RandomNumberGenerator.Fill(buffer);
                var k = new BigInteger(1, buffer);
                if (InScalarRange(k)) return k;
            }
        }
        finally
        {
            buffer.Clear();
        }
    }

    /// <summary>§6.1 steps A3-A7. <paramref name="nextK"/> supplies k; only tests pass a fixed one.</summary>
    public (BigInteger R, BigInteger S) Sign(BigInteger d, BigInteger e, Func<BigInteger> nextK)
    {
        var dPlus1Inverse = BigIntegers.ModOddInverse(N, d.Add(BigInteger.One));
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var k = nextK();
            if (!InScalarRange(k))
                throw new LedgerException(ErrorCode.InvalidCryptoParameter, "k must lie in [1, n-1]");
            var x1 = MultiplyBase(k).AffineXCoord.ToBigInteger();
            var r = e.Add(x1).Mod(N);
            if (r.SignValue == 0 || r.Add(k).Equals(N)) continue;
            var s = dPlus1Inverse.Multiply(k.Subtract(r.Multiply(d))).Mod(N);
            if (s.SignValue != 0) return (r, s);
        }
        // 64 unlucky draws of a uniform k cannot happen (each retry has probability ~2^-255).
        throw new LedgerException(ErrorCode.InvalidCryptoParameter, "SM2 signing did not find a usable k");
    }

    /// <summary>§7.1 steps B3-B7. The caller has already checked r and s are in [1, n-1].</summary>
    public bool Verify(ECPoint publicPoint, BigInteger e, BigInteger r, BigInteger s)
    {
        var t = r.Add(s).Mod(N);
        if (t.SignValue == 0) return false;
        var point = ECAlgorithms.SumOfTwoMultiplies(G, s, publicPoint, t).Normalize();
        if (point.IsInfinity) return false;
        return e.Add(point.AffineXCoord.ToBigInteger()).Mod(N).Equals(r);
    }

    /// <summary>Decodes 04 || X || Y into a validated point: coordinates below p, on the curve, not infinity.</summary>
    public bool TryDecodePoint(ReadOnlySpan<byte> encoded, out ECPoint? point, out string? reason)
    {
        point = null;
        if (encoded.Length != 1 + 2 * FieldSize)
        {
            reason = $"a public key is {1 + 2 * FieldSize} bytes (04 || X || Y), got {encoded.Length}";
            return false;
        }
        if (encoded[0] != 0x04)
        {
            reason = $"a public key must be an uncompressed point (first byte 04), got {encoded[0]:x2}";
            return false;
        }
        var x = new BigInteger(1, encoded.Slice(1, FieldSize));
        var y = new BigInteger(1, encoded.Slice(1 + FieldSize, FieldSize));
        var p = Curve.Field.Characteristic;
        if (x.CompareTo(p) >= 0 || y.CompareTo(p) >= 0)
        {
            reason = "a public key coordinate is not below the field prime";
            return false;
        }
        var candidate = Curve.CreatePoint(x, y);
        if (candidate.IsInfinity || !candidate.IsValid())
        {
            reason = "the public key is not a point on sm2p256v1";
            return false;
        }
        point = candidate.Normalize();
        reason = null;
        return true;
    }

    public byte[] EncodePoint(ECPoint point) => point.Normalize().GetEncoded(false);
}
