using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Ledger.Core;
using Ledger.Crypto.Transport;
using Ledger.Node.Config;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Ledger.Node.Hosting;

/// <summary>
/// A node's TLS: its transport certificate on both listeners, the consortium's transport CA as the only trust for
/// peers (both directions) — or, with <c>insecure</c>, plaintext everywhere.
/// </summary>
public sealed class NodeTransport : IDisposable
{
    private NodeTransport(X509Certificate2? certificate, TransportTrust? trust)
    {
        Certificate = certificate;
        Trust = trust;
    }

    /// <summary>Null when insecure.</summary>
    public X509Certificate2? Certificate { get; }

    public TransportTrust? Trust { get; }

    public bool Insecure => Certificate is null;

    public static NodeTransport From(NodeConfig config)
    {
        if (config.Insecure == true) return new NodeTransport(null, null);
        if (config.TlsCertificate is null || config.TlsKey is null || config.TransportCa is null)
            throw new LedgerException(ErrorCode.MissingField,
                "the config needs tlsCertificate, tlsKey and transportCa (TLS is required; insecure: true or --insecure only for debugging)");
        var trust = TransportTrust.Load(config.Resolve(config.TransportCa));
        var certificate = TransportCredentials.Load(config.Resolve(config.TlsCertificate), config.Resolve(config.TlsKey));
        if (!trust.IsTrusted(certificate, TransportCertificateAuthority.ServerAuthOid))
        {
            certificate.Dispose();
            throw new LedgerException(ErrorCode.UntrustedCertificate, $"{config.TlsCertificate} is not issued by the transport CA {config.TransportCa}");
        }
        // Peers admit a transport certificate only for the validator it names: one that does not name this node would
        // be refused by every peer, so say so now, in one line.
        if (config.Peers.Count > 0 && !ValidatorTransportName.Read(certificate).Contains(config.Name, StringComparer.Ordinal))
        {
            certificate.Dispose();
            throw new LedgerException(ErrorCode.TransportCertificateNameMismatch,
                $"{config.TlsCertificate} does not name validator {config.Name} ({ValidatorTransportName.UriPrefix}{config.Name}); its peers would refuse it. " +
                "A network made before transport certificates named their validators needs `ledger network init` again");
        }
        return new NodeTransport(certificate, trust);
    }

    /// <summary>The scheme of this node's own and its peers' addresses.</summary>
    public string Scheme => Insecure ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;

    /// <summary>A configured peer address in this mode: an insecure node dials its peers in plaintext.</summary>
    public Uri PeerAddress(string address)
    {
        var uri = new Uri(address);
        return uri.Scheme == Scheme ? uri : new UriBuilder(uri) { Scheme = Scheme, Port = uri.Port }.Uri;
    }

    /// <summary>TLS on a listener. <paramref name="peers"/>: the gRPC port, where validators present client certificates.</summary>
    public void Secure(ListenOptions listen, bool peers)
    {
        if (Certificate is null) return;
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = Certificate,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateMode = peers ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate,
            ClientCertificateValidation = peers ? Trust!.ValidateClient : null,
        });
    }

    public void Dispose() => Certificate?.Dispose();
}
