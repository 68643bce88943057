using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ledger.Core;

namespace Ledger.Crypto.Transport;

/// <summary>
/// Trust in one consortium's transport CA and nothing else: a remote certificate is accepted only if it chains to
/// the pinned CA (never to the operating system's store) and is meant for the use at hand (server or client auth).
/// Clients check the host name as TLS always does; servers check that a client certificate, when one is sent,
/// comes from the pinned CA — a certificate of another consortium's CA fails the handshake.
/// </summary>
public sealed class TransportTrust
{
    private readonly X509Certificate2Collection _anchors;

    private TransportTrust(X509Certificate2Collection anchors) => _anchors = anchors;

    /// <summary>The pinned CA certificate(s) (a PEM file may hold several during a CA rollover).</summary>
    public IReadOnlyList<X509Certificate2> Anchors => [.. _anchors];

    /// <summary>Trust in one CA certificate (its public part only is kept).</summary>
    public static TransportTrust FromCertificate(X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        return new TransportTrust([X509CertificateLoader.LoadCertificate(ca.RawData)]);
    }

    /// <summary>Reads transport-ca.pem; a missing, empty or unparsable file is a typed error naming it.</summary>
    public static TransportTrust Load(string path)
    {
        if (!File.Exists(path)) throw new LedgerException(ErrorCode.MissingField, $"no such transport CA file: {path}");
        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new LedgerException(ErrorCode.InvalidCertificate, $"{path}: not a PEM certificate: {e.Message}", e);
        }
        if (anchors.Count == 0) throw new LedgerException(ErrorCode.InvalidCertificate, $"{path} holds no PEM certificate");
        return new TransportTrust(anchors);
    }

    /// <summary>
    /// True if <paramref name="certificate"/> is an end-entity certificate that names <paramref name="purposeOid"/> in its
    /// extended key usage (stated, not implied by its absence) and chains to a pinned CA.
    /// </summary>
    public bool IsTrusted(X509Certificate2 certificate, string purposeOid, X509Chain? presented = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority)) return false;
        if (!certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == purposeOid))) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(purposeOid));
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
                if (!element.Certificate.RawData.AsSpan().SequenceEqual(certificate.RawData)) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return chain.Build(certificate);
    }

    /// <summary>For a TLS client: the server's certificate must name the host we dialled and chain to the pinned CA.</summary>
    public bool ValidateServer(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0) return false;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return IsTrusted(leaf, TransportCertificateAuthority.ServerAuthOid, chain);
    }

    /// <summary>For a TLS server: a client certificate, when sent, must chain to the pinned CA (the OS store's verdict is ignored).</summary>
    public bool ValidateClient(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors) =>
        IsTrusted(certificate, TransportCertificateAuthority.ClientAuthOid, chain);

    /// <summary>TLS client options pinning this CA, presenting <paramref name="clientCertificate"/> when given (mutual TLS).</summary>
    public SslClientAuthenticationOptions ClientOptions(X509Certificate2? clientCertificate = null)
    {
        var options = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ValidateServer(certificate, chain, errors),
        };
        if (clientCertificate is not null)
        {
            options.ClientCertificates = [clientCertificate];
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }
        return options;
    }

    /// <summary>An HTTP handler (HTTP/2 and HTTP/1.1) that trusts only this CA.</summary>
    public SocketsHttpHandler CreateHandler(X509Certificate2? clientCertificate = null) => new()
    {
        SslOptions = ClientOptions(clientCertificate),
        EnableMultipleHttp2Connections = true,
    };
}
