using System.Security.Cryptography;
using Ledger.Core;
using Ledger.Core.Identity;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Ledger.Crypto.Certificates;

/// <summary>
/// A CA of the consortium PKI: the province bureau's root, or a city bureau's intermediate. Issues
/// SM3withSM2 certificates and CRLs, and only inside its own division. It borrows the private key: the
/// caller keeps ownership and disposes it.
/// </summary>
public sealed class CertificateAuthority
{
    /// <summary>Root → city CA → end entity: the root may have one CA below it, a city CA none.</summary>
    public const int RootPathLength = 1;

    private const int MaxCommonNameLength = 64; // ub-common-name, RFC 5280 Appendix A.1
    private const int CaUsage = KeyUsage.KeyCertSign | KeyUsage.CrlSign;
    private const int EndEntityUsage = KeyUsage.DigitalSignature | KeyUsage.NonRepudiation;

    private readonly Sm2PrivateKey _key;

    private CertificateAuthority(LedgerCertificate certificate, Sm2PrivateKey key)
    {
        Certificate = certificate;
        _key = key;
    }

    public LedgerCertificate Certificate { get; }

    public static CertificateAuthority CreateRoot(string commonName, DivisionCode division, Sm2PrivateKey key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(key);
        var subject = Name(commonName, null);
        var certificate = Build(subject, key.PublicKey, notBefore, notAfter, Role.RootCa, RequireDivision(division), null,
            RootPathLength, subject, key, Sm2X509.KeyIdentifier(key.PublicKey));
        return new CertificateAuthority(certificate, key);
    }

    /// <summary>A CA from a certificate issued earlier and its private key (for example loaded from a key file).</summary>
    public static CertificateAuthority FromCertificate(LedgerCertificate certificate, Sm2PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        if (!certificate.IsCa || !certificate.AllowsUsage(KeyUsage.KeyCertSign))
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"{certificate.Subject} is not a CA certificate");
        if (certificate.PublicKey != key.PublicKey)
            throw new LedgerException(ErrorCode.InvalidPrivateKey, "the private key does not belong to the CA certificate");
        return new CertificateAuthority(certificate, key);
    }

    /// <summary>A subordinate CA (a city bureau) whose division lies inside this CA's.</summary>
    public CertificateAuthority IssueIntermediate(string commonName, DivisionCode division, Sm2PrivateKey key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new CertificateAuthority(IssueIntermediateCertificate(commonName, division, key.PublicKey, notBefore, notAfter), key);
    }

    /// <summary>
    /// A subordinate CA's certificate for a key this CA never sees (a city bureau's CSR): the same profile as
    /// <see cref="IssueIntermediate"/> — CA basic constraints with this CA's path length less one, certificate and CRL
    /// signing — and a division inside this CA's.
    /// </summary>
    public LedgerCertificate IssueIntermediateCertificate(string commonName, DivisionCode division, Sm2PublicKey publicKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (Certificate.PathLength is 0)
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"{Certificate.CommonName} may not issue CA certificates (path length 0)");
        RequireInside(RequireDivision(division));
        return Build(Name(commonName, null), publicKey, notBefore, notAfter, Role.IntermediateCa, division, null,
            Certificate.PathLength - 1, IssuerName, _key, Certificate.SubjectKeyId);
    }

    /// <summary>An end-entity certificate. Refuses CA roles, a division outside this CA's, an employer without a valid credit code, and a worker with one.</summary>
    public LedgerCertificate Issue(CertificateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.PublicKey);
        if (request.Role is Role.Unknown or Role.RootCa or Role.IntermediateCa || !Enum.IsDefined(request.Role))
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"role {request.Role} cannot be issued as an end-entity certificate");
        RequireInside(RequireDivision(request.Division));
        if (request.CreditCode is { } code && !CreditCode.TryParse(code.Value, out _))
            throw new LedgerException(ErrorCode.InvalidCreditCode, "the credit code is not a valid unified social credit code");
        if (request.Role == Role.Employer && request.CreditCode is null)
            throw new LedgerException(ErrorCode.InvalidCreditCode, "an employer certificate requires the employer's unified social credit code");
        if (request.Role == Role.Worker && request.CreditCode is not null)
            throw new LedgerException(ErrorCode.InvalidCreditCode, "a worker certificate cannot carry a credit code");
        if (request.Role == Role.Worker && request.WorkerPseudonym is null)
            throw new LedgerException(ErrorCode.WrongCertificateRole, "a worker certificate requires the worker's pseudonym");
        if (request.Role != Role.Worker && request.WorkerPseudonym is not null)
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"a {request.Role} certificate cannot carry a worker pseudonym");
        if (request.Role == Role.Worker && Certificate.Role != Role.IntermediateCa)
            throw new LedgerException(ErrorCode.WrongCertificateRole, "Worker certificates are issued by a city CA, after its real-name check");
        return Build(Name(request.CommonName, request.CreditCode), request.PublicKey, request.NotBefore, request.NotAfter, request.Role,
            request.Division, request.CreditCode, null, IssuerName, _key, Certificate.SubjectKeyId, request.WorkerPseudonym);
    }

    /// <summary>
    /// A CRL listing <paramref name="revoked"/>. Its CRL number is <paramref name="thisUpdate"/> in Unix seconds, so
    /// later CRLs of the same CA have larger numbers without the CA keeping a counter.
    /// </summary>
    public CertificateRevocationList IssueCrl(IEnumerable<RevokedCertificate> revoked, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        if (nextUpdate <= thisUpdate)
            throw new LedgerException(ErrorCode.InvalidCrl, "a CRL's nextUpdate must be after its thisUpdate");
        var generator = new V2TbsCertListGenerator();
        generator.SetSignature(Sm2X509.SignatureAlgorithm);
        generator.SetIssuer(IssuerName);
        generator.SetThisUpdate(Sm2X509.ToTime(thisUpdate));
        generator.SetNextUpdate(Sm2X509.ToTime(nextUpdate));
        foreach (var entry in revoked)
            generator.AddCrlEntry(new DerInteger(ParseSerial(entry.SerialNumberHex)), Sm2X509.ToTime(entry.RevokedAt), 0);
        var extensions = new X509ExtensionsGenerator();
        if (Certificate.SubjectKeyId is { } keyId)
            extensions.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId));
        extensions.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.ValueOf(Math.Max(0, thisUpdate.ToUnixTimeSeconds()))));
        generator.SetExtensions(extensions.Generate());
        var tbs = generator.GenerateTbsCertList();
        var list = CertificateList.GetInstance(new DerSequence(tbs, Sm2X509.SignatureAlgorithm, new DerBitString(Sm2X509.Sign(_key, tbs))));
        return CertificateRevocationList.FromDer(list.GetEncoded(Asn1Encodable.Der));
    }

    private X509Name IssuerName => Certificate.Structure.TbsCertificate.Subject;

    private static LedgerCertificate Build(X509Name subject, Sm2PublicKey subjectKey, DateTimeOffset notBefore, DateTimeOffset notAfter,
        Role role, DivisionCode division, CreditCode? creditCode, int? pathLength, X509Name issuer, Sm2PrivateKey signingKey, byte[]? authorityKeyId,
        Hash32? pseudonym = null)
    {
        if (Sm2X509.ToTime(notAfter).ToDateTime() <= Sm2X509.ToTime(notBefore).ToDateTime())
            throw new LedgerException(ErrorCode.InvalidCertificate, "notAfter must be at least a second after notBefore");
        var isCa = role is Role.RootCa or Role.IntermediateCa;

        var extensions = new X509ExtensionsGenerator();
        extensions.AddExtension(X509Extensions.BasicConstraints, true, isCa ? new BasicConstraints(pathLength ?? 0) : new BasicConstraints(false));
        extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(isCa ? CaUsage : EndEntityUsage));
        extensions.AddExtension(X509Extensions.SubjectKeyIdentifier, false, new SubjectKeyIdentifier(Sm2X509.KeyIdentifier(subjectKey)));
        if (authorityKeyId is not null)
            extensions.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
        extensions.AddExtension(LedgerIdentityExtension.Oid, false, LedgerIdentityExtension.Encode(role, division, creditCode, pseudonym));

        var tbsGenerator = new V3TbsCertificateGenerator();
        tbsGenerator.SetSerialNumber(new DerInteger(RandomSerial()));
        tbsGenerator.SetSignature(Sm2X509.SignatureAlgorithm);
        tbsGenerator.SetIssuer(issuer);
        tbsGenerator.SetStartDate(Sm2X509.ToTime(notBefore));
        tbsGenerator.SetEndDate(Sm2X509.ToTime(notAfter));
        tbsGenerator.SetSubject(subject);
        tbsGenerator.SetSubjectPublicKeyInfo(subjectKey.ToSubjectPublicKeyInfo());
        tbsGenerator.SetExtensions(extensions.Generate());
        var tbs = tbsGenerator.GenerateTbsCertificate();
        var certificate = new X509CertificateStructure(tbs, Sm2X509.SignatureAlgorithm, new DerBitString(Sm2X509.Sign(signingKey, tbs)));
        return LedgerCertificate.FromDer(certificate.GetEncoded(Asn1Encodable.Der));
    }

    /// <summary>C=CN, [organizationIdentifier=NTRCN-credit code], CN=name.</summary>
    private static X509Name Name(string commonName, CreditCode? creditCode)
    {
        if (string.IsNullOrWhiteSpace(commonName) || commonName.Length > MaxCommonNameLength || commonName.Any(char.IsControl))
            throw new LedgerException(ErrorCode.InvalidCertificate, $"a common name is 1..{MaxCommonNameLength} printable characters");
        var oids = new List<DerObjectIdentifier> { X509Name.C };
        var values = new List<string> { "CN" };
        if (creditCode is { } code)
        {
            oids.Add(LedgerIdentityExtension.OrganizationIdentifier);
            values.Add(LedgerIdentityExtension.OrganizationIdentifierPrefix + code.Value);
        }
        oids.Add(X509Name.CN);
        values.Add(commonName);
        return new X509Name(oids, values);
    }

    /// <summary>A positive serial of at most 128 bits (RFC 5280 §4.1.2.2 allows 20 octets; CA/B asks for 64+ random bits).</summary>
    private static BigInteger RandomSerial()
    {
        Span<byte> bytes = stackalloc byte[16];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            bytes[0] &= 0x7f;
            var serial = new BigInteger(1, bytes);
            if (serial.SignValue > 0) return serial;
        }
    }

    private static DivisionCode RequireDivision(DivisionCode division) =>
        DivisionCode.TryParse(division.Value, out var parsed) ? parsed : throw new LedgerException(ErrorCode.InvalidDivisionCode, $"'{division.Value}' is not a valid division code");

    private void RequireInside(DivisionCode division)
    {
        if (!Certificate.Division.Contains(division))
            throw new LedgerException(ErrorCode.InvalidDivisionCode, $"{Certificate.CommonName} ({Certificate.Division}) cannot issue for division {division}, which is outside its own");
    }

    private static BigInteger ParseSerial(string hex)
    {
        if (string.IsNullOrEmpty(hex) || hex.Length > 40 || hex[0] == '0' || hex.Any(c => !char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f')))
            throw new LedgerException(ErrorCode.InvalidCrl, $"'{hex}' is not a serial number in lowercase hex");
        return new BigInteger(hex, 16);
    }
}
