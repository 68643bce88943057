using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ledger.Crypto.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ledger.Network.Tests;

/// <summary>One validator in-process: a PeerNetwork behind its own Kestrel (HTTP/2 only, loopback).</summary>
internal sealed class TestPeer : IAsyncDisposable
{
    public const string ChainId = "gd-labour-test";

    private static readonly ILoggerFactory Loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

    private readonly WebApplication _app;
    private readonly NetworkHolder _holder;
    private bool _disposed;

    private TestPeer(TestIdentity identity, IPeerAuthenticator auth, string chainId, WebApplication app, NetworkHolder holder, Uri address)
    {
        Identity = identity;
        Authenticator = auth;
        ChainIdInUse = chainId;
        _app = app;
        _holder = holder;
        Address = address;
    }

    public TestIdentity Identity { get; }

    public IPeerAuthenticator Authenticator { get; }

    public string ChainIdInUse { get; }

    public Uri Address { get; }

    public int Port => Address.Port;

    public RecordingHandlers Handlers { get; } = new();

    public PeerNetwork Network => _holder.Network ?? throw new InvalidOperationException("network not started");

    public PeerEndpoint Endpoint => new(Identity.Name, Address);

    /// <summary>
    /// With <paramref name="tls"/>: HTTPS with that server certificate, client certificates allowed and checked against
    /// the trusted transport CA (as a node's gRPC port does).
    /// </summary>
    public static async Task<TestPeer> StartAsync(TestIdentity identity, IReadOnlyCollection<TestIdentity> validators, int port = 0, string chainId = ChainId, IPeerAuthenticator? auth = null,
        (X509Certificate2 Certificate, TransportTrust Trust)? tls = null)
    {
        var holder = new NetworkHolder();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            if (tls is { } t)
            {
                o.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = t.Certificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = t.Trust.ValidateClient,
                });
            }
        }));
        builder.Services.AddGrpc().AddServiceOptions<PeerGrpcService>(o =>
        {
            o.MaxReceiveMessageSize = PeerNetwork.MaxFrameBytes;
            o.MaxSendMessageSize = PeerNetwork.MaxFrameBytes;
        });
        builder.Services.AddSingleton(_ => holder.Network ?? throw new InvalidOperationException("network not started"));
        var app = builder.Build();
        app.MapGrpcService<PeerGrpcService>();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new TestPeer(identity, auth ?? new FakeAuthenticator(identity, validators), chainId, app, holder, address);
    }

    public PeerNetwork StartNetwork(IEnumerable<PeerEndpoint> peers, Func<PeerNetworkOptions, PeerNetworkOptions>? configure = null)
    {
        var options = new PeerNetworkOptions(ChainIdInUse, peers.ToArray())
        {
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(500),
            StatusInterval = TimeSpan.FromMilliseconds(100),
            HandshakeTimeout = TimeSpan.FromSeconds(2),
        };
        if (configure is not null) options = configure(options);
        var network = new PeerNetwork(options, Authenticator, Handlers, Loggers.CreateLogger<PeerNetwork>());
        _holder.Network = network;
        network.Start();
        return network;
    }

    /// <summary>n validators, each dialing every other; returns once every stream is authenticated.</summary>
    public static async Task<TestPeer[]> MeshAsync(int n)
    {
        var identities = Enumerable.Range(0, n).Select(i => new TestIdentity($"v{i}")).ToArray();
        var peers = new TestPeer[n];
        for (var i = 0; i < n; i++) peers[i] = await StartAsync(identities[i], identities);
        foreach (var p in peers) p.StartNetwork(peers.Where(o => o != p).Select(o => o.Endpoint));
        await TestMessages.Eventually(() => peers.All(p => p.Network.Peers.All(s => s.Connected && s.Height is not null)), "a connected mesh");
        return peers;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (_holder.Network is not null) await _holder.Network.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class NetworkHolder
    {
        public PeerNetwork? Network { get; set; }
    }
}
