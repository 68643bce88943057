using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ledger.Core;

namespace Ledger.Crypto.Transport;

/// <summary>
/// A consortium's transport CA: ECDSA P-256 certificates for TLS on every listener and for mutual TLS between
/// validators. .NET's TLS stack has no SM2 cipher suites, so the transport uses NIST P-256; every signature on chain
/// stays SM2. This CA is separate from the SM2 root in genesis on purpose: rotating a TLS certificate is an
/// operational act and must never touch the chain's trust anchor.
/// </summary>
public sealed class TransportCertificateAuthority : IDisposable
{
    /// <summary>TLS server and client authentication (RFC 5280 id-kp-serverAuth, id-kp-clientAuth).</summary>
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private TransportCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static TransportCertificateAuthority Create(string consortium, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(TransportSigningRequest.Subject($"{consortium} Transport CA", consortium), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new TransportCertificateAuthority(Reimport(certificate));
    }

    /// <summary>Loads a CA written by <see cref="SaveKey"/> (the key is encrypted PKCS#8 under <paramref name="passphrase"/>).</summary>
    public static TransportCertificateAuthority Load(string certificatePath, string keyPath, string passphrase)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromEncryptedPemFile(certificatePath, passphrase, keyPath);
            return new TransportCertificateAuthority(Reimport(certificate));
        }
        catch (CryptographicException e)
        {
            throw new LedgerException(ErrorCode.InvalidPrivateKey, $"cannot load the transport CA from {certificatePath} and {keyPath}: {e.Message}", e);
        }
    }

    /// <summary>
    /// A leaf certificate for one service (a node, a signer, an explorer, a test client), valid for TLS server and
    /// client authentication, naming the given hosts and addresses in its subject alternative names. For a validator,
    /// <paramref name="validator"/> is its genesis name, bound into the certificate (<see cref="ValidatorTransportName"/>):
    /// only such a certificate is let onto the peer service, and only as that validator.
    /// </summary>
    public X509Certificate2 Issue(string name, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset notBefore, DateTimeOffset notAfter,
        string? validator = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = Sign(new CertificateRequest(TransportSigningRequest.Subject(name, Organisation), key, HashAlgorithmName.SHA256),
            dnsNames, addresses, notBefore, notAfter, validator);
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reimport(withKey);
    }

    /// <summary>
    /// The same leaf certificate for a key this CA never sees: the holder's request (<see cref="TransportSigningRequest"/>)
    /// gives the key, the service name and the host names and addresses; the validator binding is the CA's to give.
    /// The certificate has no private key.
    /// </summary>
    public X509Certificate2 Issue(TransportSigningRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter, string? validator = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var issued = Sign(new CertificateRequest(TransportSigningRequest.Subject(request.Name, Organisation), request.Request.PublicKey, HashAlgorithmName.SHA256),
            request.DnsNames, request.Addresses, notBefore, notAfter, validator);
        return Reimport(issued);
    }

    private string Organisation =>
        Certificate.SubjectName.Name.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("O=", StringComparison.Ordinal))?[2..] ?? "Ledger";

    private X509Certificate2 Sign(CertificateRequest request, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset notBefore, DateTimeOffset notAfter,
        string? validator)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid), new Oid(ClientAuthOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames) san.AddDnsName(dns);
        foreach (var address in addresses) san.AddIpAddress(address);
        if (validator is not null) san.AddUri(ValidatorTransportName.ToUri(validator));
        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        if (notAfter > Certificate.NotAfter) notAfter = Certificate.NotAfter;
        return request.Create(Certificate, notBefore, notAfter, serial);
    }

    /// <summary>The CA certificate, PEM: what clients and peers pin (transport-ca.pem).</summary>
    public string CertificatePem() => Certificate.ExportCertificatePem() + "\n";

    /// <summary>Writes the CA key as encrypted PKCS#8 (PBKDF2-SHA256, AES-256-CBC), mode 0600; never overwrites.</summary>
    public void SaveKey(string path, string passphrase, int iterations)
    {
        using var key = Certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the transport CA has no private key");
        var pem = key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, iterations));
        TransportCredentials.WritePrivate(path, pem + "\n");
    }

    public void Dispose() => Certificate.Dispose();

    // SslStream wants a key it can use on every platform; a PKCS#12 round trip gives a persisted one.
    internal static X509Certificate2 Reimport(X509Certificate2 certificate) =>
        certificate.HasPrivateKey
            ? X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null)
            : X509CertificateLoader.LoadCertificate(certificate.RawData);
}
