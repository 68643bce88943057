using Ledger.Core;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace Ledger.Crypto.Certificates;

/// <summary>
/// A PKCS#10 certification request (RFC 2986) signed with SM3withSM2 under the default signer ID, as
/// <c>openssl req -new -sm3 -sigopt distid:1234567812345678</c> makes one. Reading one checks its self-signature,
/// so a CA only ever certifies a key whose holder proved possession of it. Only the key and the common name are
/// taken from a request: role, division and credit code are the CA's decision.
/// </summary>
public sealed class CertificateSigningRequest
{
    private const string PemLabel = "CERTIFICATE REQUEST";

    private CertificateSigningRequest(byte[] der, Sm2PublicKey publicKey, string? commonName)
    {
        Der = der;
        PublicKey = publicKey;
        CommonName = commonName;
    }

    public byte[] Der { get; }

    public Sm2PublicKey PublicKey { get; }

    /// <summary>The CN the requester asked for, if any.</summary>
    public string? CommonName { get; }

    public static CertificateSigningRequest Create(Sm2PrivateKey key, string commonName)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrWhiteSpace(commonName) || commonName.Length > 64 || commonName.Any(char.IsControl))
            throw new LedgerException(ErrorCode.InvalidCertificate, "a common name is 1..64 printable characters");
        var subject = new X509Name([X509Name.C, X509Name.CN], ["CN", commonName]);
        var info = new CertificationRequestInfo(subject, key.PublicKey.ToSubjectPublicKeyInfo(), new DerSet());
        var request = new CertificationRequest(info, Sm2X509.SignatureAlgorithm, new DerBitString(Sm2X509.Sign(key, info)));
        return FromDer(request.GetEncoded(Asn1Encodable.Der));
    }

    public string ToPem() => Pem.Encode(PemLabel, Der);

    public static CertificateSigningRequest FromPem(string pem)
    {
        var (_, der) = Pem.Decode(pem, ErrorCode.InvalidCertificate, PemLabel, "NEW CERTIFICATE REQUEST");
        return FromDer(der);
    }

    /// <summary>Parses DER and checks the request's signature under its own key; anything else is a <see cref="LedgerException"/>.</summary>
    public static CertificateSigningRequest FromDer(byte[] der)
    {
        ArgumentNullException.ThrowIfNull(der);
        CertificationRequest request;
        try
        {
            request = CertificationRequest.GetInstance(Asn1Failure.ParseDer(der));
        }
        catch (Exception e) when (Asn1Failure.IsParseFailure(e))
        {
            throw new LedgerException(ErrorCode.InvalidCertificate, "certificate request is not DER PKCS#10", e);
        }
        if (!Sm2X509.IsSignatureAlgorithm(request.SignatureAlgorithm))
            throw new LedgerException(ErrorCode.InvalidCertificate, $"certificate request is signed with {request.SignatureAlgorithm.Algorithm}, not SM3withSM2");
        var info = request.GetCertificationRequestInfo();
        var publicKey = Sm2PublicKey.FromSubjectPublicKeyInfo(info.SubjectPublicKeyInfo);
        var signature = request.Signature;
        if (signature.PadBits != 0)
            throw new LedgerException(ErrorCode.InvalidCertificate, "certificate request signature has padding bits");
        var check = publicKey.VerifyDetailed(info.GetEncoded(Asn1Encodable.Der), signature.GetOctets());
        if (!check.IsValid)
            throw new LedgerException(ErrorCode.InvalidSignature, $"certificate request signature does not verify under its own key: {check.Reason}");
        var commonName = info.Subject.GetValueList(X509Name.CN).FirstOrDefault();
        return new CertificateSigningRequest((byte[])der.Clone(), publicKey, commonName);
    }
}
