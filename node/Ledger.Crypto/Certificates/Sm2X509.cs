using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X509;

namespace Ledger.Crypto.Certificates;

/// <summary>SM3withSM2 as X.509 uses it (GM/T 0015): algorithm identifier, key identifiers, times.</summary>
internal static class Sm2X509
{
    /// <summary>1.2.156.10197.1.501, parameters absent (as for ECDSA, RFC 5758 §3.2).</summary>
    public static readonly AlgorithmIdentifier SignatureAlgorithm = new(GMObjectIdentifiers.sm2sign_with_sm3);

    public static bool IsSignatureAlgorithm(AlgorithmIdentifier algorithm) =>
        algorithm.Algorithm.Equals(GMObjectIdentifiers.sm2sign_with_sm3)
        && (algorithm.Parameters is null || algorithm.Parameters is DerNull);

    /// <summary>
    /// Key identifier: the leftmost 160 bits of SM3 over the subjectPublicKey bits. This is RFC 7093 §2 method 1
    /// with SM3 in place of SHA-256, so no SHA-1 appears anywhere in the PKI.
    /// </summary>
    public static byte[] KeyIdentifier(Sm2PublicKey key) => Sm3.Hash(key.Bytes).ToArray()[..20];

    /// <summary>X.509 times are whole seconds in UTC; RFC 5280 §4.1.2.5 picks UTCTime before 2050, GeneralizedTime after.</summary>
    public static Time ToTime(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return new Time(new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc));
    }

    public static DateTimeOffset FromTime(Time time) => new(DateTime.SpecifyKind(time.ToDateTime(), DateTimeKind.Utc));

    public static byte[] Sign(Sm2PrivateKey key, Asn1Encodable tbs) => key.Sign(tbs.GetEncoded(Asn1Encodable.Der));
}
