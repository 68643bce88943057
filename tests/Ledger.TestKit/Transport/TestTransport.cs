using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Ledger.Crypto.Transport;

namespace Ledger.TestKit.Transport;

/// <summary>
/// TLS for tests, in one place: the transport CA of a network made by <c>ledger network init</c> (or a fresh one for
/// an in-process host), and channels and HTTP clients that pin it — the way every test reaches a node, signer or
/// explorer now that no listener speaks plaintext.
/// </summary>
public sealed class TestTransport
{
    private TestTransport(string caPath, string? certificatePath, string? keyPath)
    {
        CaPath = caPath;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        Trust = TransportTrust.Load(caPath);
    }

    /// <summary>transport-ca.pem: what a client pins (<c>--transport-ca</c>).</summary>
    public string CaPath { get; }

    /// <summary>A service certificate and key from this CA (for <see cref="Create"/>), else null.</summary>
    public string? CertificatePath { get; }

    public string? KeyPath { get; }

    public TransportTrust Trust { get; }

    /// <summary>The transport CA that <c>network init</c> wrote into <paramref name="networkDirectory"/>.</summary>
    public static TestTransport ForNetwork(string networkDirectory) => new(Path.Combine(networkDirectory, "transport-ca.pem"), null, null);

    /// <summary>
    /// A fresh transport CA in <paramref name="directory"/> (transport-ca.pem, its key kept only in memory) and one
    /// service certificate for 127.0.0.1 (tls.pem, tls.key with mode 0600): for hosts started in-process. With
    /// <paramref name="validator"/>, the certificate is bound to that validator name, as network init does for nodes.
    /// </summary>
    public static TestTransport Create(string directory, string name = "test-service", string? validator = null)
    {
        using var ca = TransportCertificateAuthority.Create($"Test consortium {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30));
        var caPath = Path.Combine(directory, "transport-ca.pem");
        File.WriteAllText(caPath, ca.CertificatePem());
        using var certificate = ca.Issue(name, ["localhost"], [IPAddress.Loopback], DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), validator);
        var certificatePath = Path.Combine(directory, "tls.pem");
        var keyPath = Path.Combine(directory, "tls.key");
        TransportCredentials.Save(certificate, certificatePath, keyPath);
        return new TestTransport(caPath, certificatePath, keyPath);
    }

    /// <summary>An HTTP handler pinning the CA, presenting <paramref name="clientCertificate"/> if given.</summary>
    public SocketsHttpHandler Handler(X509Certificate2? clientCertificate = null) => Trust.CreateHandler(clientCertificate);

    /// <summary>A gRPC channel to an https address, pinning the CA.</summary>
    public GrpcChannel Channel(Uri address, GrpcChannelOptions? options = null)
    {
        options ??= new GrpcChannelOptions();
        options.HttpHandler = Handler();
        options.DisposeHttpClient = true;
        return GrpcChannel.ForAddress(address, options);
    }

    public HttpClient Http(TimeSpan? timeout = null) => new(Handler(), disposeHandler: true) { Timeout = timeout ?? TimeSpan.FromSeconds(100) };
}
