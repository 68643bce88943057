using Ledger.Core;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Ledger.Crypto.Certificates;

/// <summary>An X.509 v2 CRL signed with SM3withSM2 by the CA that issued the listed certificates. Immutable.</summary>
public sealed class CertificateRevocationList
{
    private readonly byte[] _der;
    private readonly Dictionary<string, DateTimeOffset> _revoked;
    private readonly List<(byte[] Serial, DateTimeOffset RevokedAt)> _entries = [];

    private CertificateRevocationList(byte[] der, CertificateList structure)
    {
        _der = der;
        Structure = structure;
        if (!Sm2X509.IsSignatureAlgorithm(structure.SignatureAlgorithm) || !Sm2X509.IsSignatureAlgorithm(structure.TbsCertList.Signature))
            throw Invalid($"CRL signature algorithm {structure.SignatureAlgorithm.Algorithm} is not SM3withSM2");
        var tbs = structure.TbsCertList;
        Issuer = tbs.Issuer.ToString();
        IssuerName = tbs.Issuer.GetEncoded(Asn1Encodable.Der);
        ThisUpdate = Sm2X509.FromTime(tbs.ThisUpdate);
        NextUpdate = tbs.NextUpdate is null ? null : Sm2X509.FromTime(tbs.NextUpdate);
        _revoked = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var entry in tbs.GetRevokedCertificates())
        {
            var serial = entry.UserCertificate.Value;
            if (serial.SignValue <= 0) throw Invalid("CRL lists a non-positive serial number");
            var revokedAt = Sm2X509.FromTime(entry.RevocationDate);
            if (_revoked.TryAdd(serial.ToString(16), revokedAt)) _entries.Add((serial.ToByteArray(), revokedAt));
        }
        var aki = tbs.Extensions?.GetExtension(X509Extensions.AuthorityKeyIdentifier);
        if (aki is not null)
            AuthorityKeyId = AuthorityKeyIdentifier.GetInstance(X509Extension.ConvertValueToObject(aki)).KeyIdentifier?.GetOctets();
    }

    public byte[] Der => (byte[])_der.Clone();
    public string Issuer { get; }
    public DateTimeOffset ThisUpdate { get; }
    public DateTimeOffset? NextUpdate { get; }
    public IReadOnlyCollection<string> RevokedSerialNumbers => _revoked.Keys;

    /// <summary>Each revoked serial once, as DER INTEGER content bytes (see <see cref="LedgerCertificate.SerialNumberBytes"/>), with its revocation date.</summary>
    public IReadOnlyList<(byte[] Serial, DateTimeOffset RevokedAt)> Entries => _entries;

    internal byte[] IssuerName { get; }
    internal byte[]? AuthorityKeyId { get; }
    internal CertificateList Structure { get; }

    /// <summary>When the serial was revoked, if it is listed.</summary>
    public bool TryGetRevocation(string serialNumberHex, out DateTimeOffset revokedAt) => _revoked.TryGetValue(serialNumberHex, out revokedAt);

    internal ValidationResult VerifySignature(Sm2PublicKey issuerKey) =>
        issuerKey.VerifyDetailed(Structure.TbsCertList.GetEncoded(Asn1Encodable.Der), Structure.Signature.GetOctets());

    /// <summary>Whether <paramref name="issuer"/> issued this CRL: issuer name and key identifier match, and the signature verifies under its key.</summary>
    public ValidationResult VerifyIssuedBy(LedgerCertificate issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.SubjectName.AsSpan().SequenceEqual(IssuerName))
            return ValidationResult.Fail(ErrorCode.InvalidCrl, $"the CRL of {Issuer} is not {issuer.Subject}'s");
        if (AuthorityKeyId is { } aki && issuer.SubjectKeyId is { } ski && !aki.AsSpan().SequenceEqual(ski))
            return ValidationResult.Fail(ErrorCode.InvalidCrl, $"the CRL names another key of {issuer.Subject}");
        return VerifySignature(issuer.PublicKey);
    }

    public static CertificateRevocationList FromDer(byte[] der)
    {
        ArgumentNullException.ThrowIfNull(der);
        try
        {
            var structure = CertificateList.GetInstance(Asn1Failure.ParseDer(der));
            if (!structure.GetEncoded(Asn1Encodable.Der).AsSpan().SequenceEqual(der))
                throw Invalid("CRL is not in canonical DER");
            return new CertificateRevocationList((byte[])der.Clone(), structure);
        }
        catch (LedgerException)
        {
            throw;
        }
        catch (Exception e) when (Asn1Failure.IsParseFailure(e))
        {
            throw new LedgerException(ErrorCode.InvalidCrl, $"not a valid X.509 CRL: {e.Message}", e);
        }
    }

    public static CertificateRevocationList FromPem(string pem) => FromDer(Pem.Decode(pem, ErrorCode.InvalidCrl, "X509 CRL").Der);

    public string ToPem() => Pem.Encode("X509 CRL", _der);

    private static LedgerException Invalid(string why) => new(ErrorCode.InvalidCrl, why);
}
