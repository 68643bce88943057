using System.Net;
using Ledger.Chain;
using Ledger.Node.Access;
using Ledger.Client;
using Ledger.TestKit.Transport;
using Ledger.Node.Grpc;
using Ledger.TestKit.Builders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Tests.Grpc;

/// <summary>
/// LedgerGrpcService over real HTTP/2 and TLS on 127.0.0.1 (a free port), with the node's message size limits; its
/// certificate from a test transport CA that <see cref="Connect"/> and <c>--transport-ca</c> pin.
/// </summary>
public sealed class GrpcTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _directory;

    private GrpcTestHost(WebApplication app, string address, TestTransport transport, DirectoryInfo directory)
    {
        _app = app;
        Address = address;
        Transport = transport;
        _directory = directory;
    }

    /// <summary>https://127.0.0.1:PORT</summary>
    public string Address { get; }

    public TestTransport Transport { get; }

    /// <summary>The SDK on this host, pinning its transport CA; its calls signed by <paramref name="identity"/> when given.</summary>
    public LedgerClient Connect(Ledger.Client.Access.CallerIdentity? identity = null) =>
        LedgerClient.Connect(Address, new LedgerClientOptions { TransportCa = Transport.Trust, Identity = identity });

    /// <summary>
    /// Starts the service with the node's access control: callers authenticated against <paramref name="network"/>'s root
    /// (a fresh network's when none is given: only anonymous calls then), its validators reading whole blocks.
    /// </summary>
    public static async Task<GrpcTestHost> StartAsync(ILedgerApi api, IEquivocationSource? equivocations = null, TestNetwork? network = null)
    {
        network ??= TestNetwork.Create(1);
        var directory = Directory.CreateTempSubdirectory("ledger-grpc-host-");
        var transport = TestTransport.Create(directory.FullName, "grpc-test-host");
        var certificate = Crypto.Transport.TransportCredentials.Load(transport.CertificatePath!, transport.KeyPath!);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            o.UseHttps(certificate);
        }));
        builder.Services.AddSingleton(api);
        if (equivocations is not null) builder.Services.AddSingleton(equivocations);
        var validators = network.Validators.Select(v => v.Certificate.Id).ToHashSet();
        AccessControl.Register(builder.Services, api, new CallAuthenticator(network.ChainValidator()), validators.Contains);
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<AuthenticationInterceptor>();
            o.MaxReceiveMessageSize = LedgerGrpcService.MaxReceiveMessageSize;
            o.MaxSendMessageSize = LedgerGrpcService.MaxSendMessageSize;
        });
        var app = builder.Build();
        app.MapGrpcService<LedgerGrpcService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GrpcTestHost(app, address.TrimEnd('/'), transport, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Delete(recursive: true);
    }
}
