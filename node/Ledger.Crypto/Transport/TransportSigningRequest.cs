using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ledger.Core;

namespace Ledger.Crypto.Transport;

/// <summary>
/// A PKCS#10 request for a transport (TLS) certificate: an ECDSA P-256 key's holder asks the consortium's transport CA
/// for a certificate naming a service, its host names and addresses, so the TLS key never leaves the holder's machine
/// (<c>openssl req -new -key tls.key -subj /CN=NAME -addext subjectAltName=DNS:host</c> makes one too). Reading one checks
/// its self-signature and the key's curve. A request may not name a validator: binding a certificate to a validator
/// (<see cref="ValidatorTransportName"/>) is the CA's decision alone.
/// </summary>
public sealed class TransportSigningRequest
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private TransportSigningRequest(CertificateRequest request, string name, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses, string pem)
    {
        Request = request;
        Name = name;
        DnsNames = dnsNames;
        Addresses = addresses;
        Pem = pem;
    }

    internal CertificateRequest Request { get; }

    /// <summary>The common name asked for (the service's name).</summary>
    public string Name { get; }

    public IReadOnlyList<string> DnsNames { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }

    public string Pem { get; }

    /// <summary>The public key's SHA-256 over its SubjectPublicKeyInfo, hex: what a holder compares with the issued certificate.</summary>
    public string KeyFingerprint => Convert.ToHexStringLower(SHA256.HashData(Request.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>A request signed with <paramref name="key"/> (P-256) for <paramref name="name"/> and the given names.</summary>
    public static TransportSigningRequest Create(ECDsa key, string name, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireName(name);
        if (!IsP256(key))
            throw new LedgerException(ErrorCode.InvalidPrivateKey, "a transport key is ECDSA on NIST P-256");
        var request = new CertificateRequest(Subject(name), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames) san.AddDnsName(dns);
        foreach (var address in addresses) san.AddIpAddress(address);
        request.CertificateExtensions.Add(san.Build());
        return FromPem(request.CreateSigningRequestPem());
    }

    /// <summary>Parses a PEM request and checks its signature, key and names; anything wrong is a <see cref="LedgerException"/>.</summary>
    public static TransportSigningRequest FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        CertificateRequest request;
        try
        {
            // The signature is checked on load; extensions are read here only to learn the names asked for.
            request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new LedgerException(ErrorCode.InvalidCertificate, $"not a signed PKCS#10 certificate request: {e.Message}", e);
        }
        if (request.PublicKey.Oid.Value != EcPublicKeyOid)
            throw new LedgerException(ErrorCode.InvalidCertificate, $"the request's key is {request.PublicKey.Oid.FriendlyName ?? request.PublicKey.Oid.Value}, not ECDSA P-256");
        using (var key = request.PublicKey.GetECDsaPublicKey())
        {
            if (key is null || !IsP256(key))
                throw new LedgerException(ErrorCode.InvalidCertificate, "the request's key is not on NIST P-256 (the transport uses P-256 only)");
        }
        var name = request.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(r => r.GetSingleElementType().Value == "2.5.4.3").Select(r => r.GetSingleElementValue()).FirstOrDefault();
        if (name is null) throw new LedgerException(ErrorCode.InvalidCertificate, "the request names no common name (CN=service name)");
        RequireName(name);
        var dnsNames = new List<string>();
        var addresses = new List<IPAddress>();
        foreach (var extension in request.CertificateExtensions)
        {
            if (extension.Oid?.Value != "2.5.29.17") continue;
            var san = new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
            dnsNames.AddRange(san.EnumerateDnsNames());
            addresses.AddRange(san.EnumerateIPAddresses());
            // Anything but DNS names and addresses (a URI naming a validator, above all) is for the CA to grant, not to ask.
            var asked = san.EnumerateDnsNames().Count() + san.EnumerateIPAddresses().Count();
            if (CountGeneralNames(extension.RawData) != asked)
                throw new LedgerException(ErrorCode.InvalidCertificate, "the request asks for names other than DNS names and IP addresses; a validator binding is given by the CA (--validator), never asked for");
        }
        return new TransportSigningRequest(request, name, dnsNames, addresses, pem.Trim() + "\n");
    }

    /// <summary>Whether <paramref name="key"/> is on NIST P-256 (named by OID or, on some platforms, only by name).</summary>
    public static bool IsP256(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var oid = key.ExportParameters(false).Curve.Oid;
        return oid.Value == P256Oid || oid.FriendlyName is "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1";
    }

    private static int CountGeneralNames(byte[] der)
    {
        var sequence = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var count = 0;
        while (sequence.HasData)
        {
            sequence.ReadEncodedValue();
            count++;
        }
        return count;
    }

    private static void RequireName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || name.Any(char.IsControl) || name.Contains(','))
            throw new LedgerException(ErrorCode.InvalidCertificate, "a service name is 1..64 printable characters without ','");
    }

    internal static X500DistinguishedName Subject(string commonName, string? organisation = null)
    {
        var builder = new X500DistinguishedNameBuilder();
        if (organisation is not null) builder.AddOrganizationName(organisation);
        builder.AddCommonName(commonName);
        return builder.Build();
    }
}
