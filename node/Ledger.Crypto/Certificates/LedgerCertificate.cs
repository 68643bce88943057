using Ledger.Core;
using Ledger.Core.Identity;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;

namespace Ledger.Crypto.Certificates;

/// <summary>
/// A parsed, structurally checked X.509 v3 certificate of the consortium PKI: SM3withSM2, an SM2 key, and the
/// ledger identity extension (role, division, credit code). Parsing checks form only; whether the certificate
/// is trusted is <see cref="CertificateChainValidator"/>'s job. Immutable.
/// </summary>
public sealed class LedgerCertificate
{
    private readonly byte[] _der;

    private LedgerCertificate(byte[] der, X509CertificateStructure structure)
    {
        _der = der;
        Structure = structure;
        Id = Sm3.Hash(der);
        var tbs = structure.TbsCertificate;
        if (tbs.Version != 3)
            throw Invalid($"version {tbs.Version} is not X.509 v3");
        if (!Sm2X509.IsSignatureAlgorithm(structure.SignatureAlgorithm) || !Sm2X509.IsSignatureAlgorithm(tbs.Signature))
            throw Invalid($"signature algorithm {structure.SignatureAlgorithm.Algorithm} is not SM3withSM2 (1.2.156.10197.1.501)");
        if (structure.Signature.PadBits != 0)
            throw Invalid("signature BIT STRING has padding bits");
        var serial = tbs.SerialNumber.Value;
        if (serial.SignValue <= 0 || serial.BitLength > 159)
            throw Invalid("serial number must be positive and at most 20 octets");
        SerialNumber = serial;

        try
        {
            PublicKey = Sm2PublicKey.FromSubjectPublicKeyInfo(tbs.SubjectPublicKeyInfo);
        }
        catch (LedgerException e)
        {
            throw new LedgerException(ErrorCode.InvalidCertificate, $"certificate public key: {e.Message}", e);
        }

        NotBefore = Sm2X509.FromTime(tbs.StartDate);
        NotAfter = Sm2X509.FromTime(tbs.EndDate);
        if (NotAfter < NotBefore)
            throw Invalid("notAfter is before notBefore");

        Subject = tbs.Subject.ToString();
        Issuer = tbs.Issuer.ToString();
        SubjectName = tbs.Subject.GetEncoded(Asn1Encodable.Der);
        IssuerName = tbs.Issuer.GetEncoded(Asn1Encodable.Der);
        var commonNames = tbs.Subject.GetValueList(X509Name.CN);
        if (commonNames.Count != 1 || string.IsNullOrWhiteSpace(commonNames[0]))
            throw Invalid("subject must have exactly one common name");
        CommonName = commonNames[0];

        var extensions = tbs.Extensions ?? throw Invalid("certificate has no extensions");
        foreach (var oid in extensions.ExtensionOids)
        {
            var extension = extensions.GetExtension(oid);
            if (extension.IsCritical && !oid.Equals(X509Extensions.BasicConstraints) && !oid.Equals(X509Extensions.KeyUsage))
                throw Invalid($"unknown critical extension {oid}");
        }

        var identity = extensions.GetExtension(LedgerIdentityExtension.Oid)
            ?? throw Invalid("certificate lacks the ledger identity extension (role, division)");
        (Role, Division, CreditCode, WorkerPseudonym) = LedgerIdentityExtension.Decode(identity.Value);

        var organizationIds = tbs.Subject.GetValueList(LedgerIdentityExtension.OrganizationIdentifier);
        if (organizationIds.Count > 1 || (organizationIds.Count == 1 && organizationIds[0] != LedgerIdentityExtension.OrganizationIdentifierPrefix + CreditCode?.Value))
            throw new LedgerException(ErrorCode.InvalidCreditCode, "subject organizationIdentifier does not match the credit code in the identity extension");

        var basic = extensions.GetExtension(X509Extensions.BasicConstraints);
        if (basic is not null)
        {
            var constraints = BasicConstraints.GetInstance(X509Extension.ConvertValueToObject(basic));
            IsCa = constraints.IsCA();
            var pathLength = constraints.PathLenConstraint;
            if (pathLength is not null && (pathLength.SignValue < 0 || pathLength.BitLength > 8))
                throw Invalid("basicConstraints path length is out of range");
            PathLength = IsCa ? pathLength?.IntValue : null;
        }
        if ((Role is Role.RootCa or Role.IntermediateCa) != IsCa)
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"role {Role} does not match the CA flag ({IsCa})");

        var usage = extensions.GetExtension(X509Extensions.KeyUsage);
        if (usage is not null)
            KeyUsageBits = KeyUsage.GetInstance(X509Extension.ConvertValueToObject(usage)).IntValue;
        var ski = extensions.GetExtension(X509Extensions.SubjectKeyIdentifier);
        if (ski is not null)
            SubjectKeyId = SubjectKeyIdentifier.GetInstance(X509Extension.ConvertValueToObject(ski)).GetKeyIdentifier();
        var aki = extensions.GetExtension(X509Extensions.AuthorityKeyIdentifier);
        if (aki is not null)
            AuthorityKeyId = AuthorityKeyIdentifier.GetInstance(X509Extension.ConvertValueToObject(aki)).KeyIdentifier?.GetOctets();
        SerialNumberHex = serial.ToString(16);
    }

    /// <summary>The exact DER bytes (a copy).</summary>
    public byte[] Der => (byte[])_der.Clone();

    /// <summary>SM3 of the DER: how the ledger names a certificate (tx submitter, proofs).</summary>
    public Hash32 Id { get; }

    public string Subject { get; }
    public string Issuer { get; }
    public string CommonName { get; }
    public Role Role { get; }
    public DivisionCode Division { get; }
    public CreditCode? CreditCode { get; }

    /// <summary>A Worker certificate's stable pseudonym (<see cref="Ledger.Crypto.WorkerPseudonym"/>); null for every other role.</summary>
    public Hash32? WorkerPseudonym { get; }

    /// <summary>Who this certificate says its holder is, as the chaincode and the read rules see a signer.</summary>
    public SignerIdentity ToSignerIdentity() => new()
    {
        KeyId = PublicKey.Id,
        Role = Role,
        CertificateId = Id,
        Division = Division,
        CreditCode = CreditCode,
        CommonName = CommonName,
        WorkerPseudonym = WorkerPseudonym,
    };
    public Sm2PublicKey PublicKey { get; }
    public DateTimeOffset NotBefore { get; }
    public DateTimeOffset NotAfter { get; }
    public bool IsCa { get; }

    /// <summary>Lowercase hex, no leading zeros.</summary>
    public string SerialNumberHex { get; }

    internal BigInteger SerialNumber { get; }

    /// <summary>The serial number as the content of its DER INTEGER (big-endian two's complement, minimal): how the chain keys a revocation.</summary>
    public byte[] SerialNumberBytes => SerialNumber.ToByteArray();

    /// <summary>A CA's basic-constraints path length (how many CA levels may follow it); null for an end entity.</summary>
    public int? PathLength { get; }

    internal int? KeyUsageBits { get; }
    internal byte[]? SubjectKeyId { get; }
    internal byte[]? AuthorityKeyId { get; }
    internal byte[] SubjectName { get; }
    internal byte[] IssuerName { get; }
    internal X509CertificateStructure Structure { get; }
    internal ReadOnlySpan<byte> DerSpan => _der;

    internal bool AllowsUsage(int usage) => KeyUsageBits is not { } bits || (bits & usage) == usage;

    /// <summary>Checks the certificate's signature under <paramref name="issuerKey"/> (SM3withSM2, default signer ID).</summary>
    internal ValidationResult VerifySignature(Sm2PublicKey issuerKey) =>
        issuerKey.VerifyDetailed(Structure.TbsCertificate.GetEncoded(Asn1Encodable.Der), Structure.Signature.GetOctets());

    /// <summary>
    /// Whether <paramref name="issuer"/> issued this certificate: issuer name and key identifier match, and the signature
    /// verifies under its key. Only that one link: trust in the issuer and validity periods are <see cref="CertificateChainValidator"/>'s job.
    /// </summary>
    public ValidationResult VerifyIssuedBy(LedgerCertificate issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.SubjectName.AsSpan().SequenceEqual(IssuerName))
            return ValidationResult.Fail(ErrorCode.UntrustedCertificate, $"{Subject} was not issued by {issuer.Subject}");
        if (AuthorityKeyId is { } aki && issuer.SubjectKeyId is { } ski && !aki.AsSpan().SequenceEqual(ski))
            return ValidationResult.Fail(ErrorCode.UntrustedCertificate, $"{Subject} names another key of {issuer.Subject}");
        return VerifySignature(issuer.PublicKey);
    }

    /// <summary>Parses DER. Anything that is not a canonical DER SM2 ledger certificate throws <see cref="LedgerException"/> (mostly <see cref="ErrorCode.InvalidCertificate"/>).</summary>
    public static LedgerCertificate FromDer(byte[] der)
    {
        ArgumentNullException.ThrowIfNull(der);
        X509CertificateStructure structure;
        try
        {
            structure = X509CertificateStructure.GetInstance(Asn1Failure.ParseDer(der));
            // Exactly one encoding: the bytes that are hashed into Id are the bytes that were signed.
            if (!structure.GetEncoded(Asn1Encodable.Der).AsSpan().SequenceEqual(der))
                throw Invalid("certificate is not in canonical DER");
            return new LedgerCertificate((byte[])der.Clone(), structure);
        }
        catch (LedgerException)
        {
            throw;
        }
        catch (Exception e) when (Asn1Failure.IsParseFailure(e))
        {
            throw new LedgerException(ErrorCode.InvalidCertificate, $"not a valid X.509 certificate: {e.Message}", e);
        }
    }

    public static LedgerCertificate FromPem(string pem) => FromDer(Pem.Decode(pem, ErrorCode.InvalidCertificate, "CERTIFICATE").Der);

    public string ToPem() => Pem.Encode("CERTIFICATE", _der);

    public override string ToString() => $"{Subject} ({Role}, {Division}, serial {SerialNumberHex})";

    private static LedgerException Invalid(string why) => new(ErrorCode.InvalidCertificate, why);
}
