using System.Net;
using Ledger.Chain;
using Ledger.Core;
using Ledger.Node.Access;
using Ledger.Node.Admin;
using Ledger.Node.Config;
using Ledger.Network;
using Ledger.Node.Grpc;
using Ledger.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Hosting;

/// <summary>
/// A running validator: <see cref="NodeRuntime"/> behind two Kestrel endpoints — gRPC on HTTP/2 only, and HTTP/1.1
/// for /healthz and /metrics — both TLS with the node's transport certificate (validators present theirs to each
/// other on the gRPC port: mutual TLS), or both plaintext when the config says <c>insecure</c>. Port 0 in the
/// config binds a free port; <see cref="GrpcEndpoint"/> and <see cref="HttpEndpoint"/> tell which.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NodeRuntime _runtime;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _production;
    private readonly NodeMetrics _metrics;

    private readonly NodeTransport _transport;

    private NodeHost(WebApplication app, NodeRuntime runtime, NodeMetrics metrics, NodeTransport transport, Uri grpc, Uri http, CancellationTokenSource stopping, Task production)
    {
        _metrics = metrics;
        _app = app;
        _transport = transport;
        _runtime = runtime;
        GrpcEndpoint = grpc;
        HttpEndpoint = http;
        _stopping = stopping;
        _production = production;
    }

    /// <summary>Concurrent HTTP/2 streams (gRPC calls) one client connection may hold open.</summary>
    public const int MaxStreamsPerConnection = 1000;

    public Uri GrpcEndpoint { get; }

    public Uri HttpEndpoint { get; }

    public LedgerChain Chain => _runtime.Chain;

    /// <summary>
    /// A reloaded config's peers (SIGHUP, <c>systemctl reload ledger-node</c>): those this validator does not dial yet are
    /// added and dialled — a validator voted in is reached without a restart. Nothing else of the config changes while the
    /// node runs. Returns the names added (none for an observer or a one-validator chain).
    /// </summary>
    public IReadOnlyList<string> ReloadPeers(NodeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Name != _runtime.Name)
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"the reloaded config is of node {config.Name}, this node is {_runtime.Name}");
        if (_runtime.Network is not { } network) return [];
        return network.AddPeers(config.Peers.Select(p => new Network.PeerEndpoint(p.Name, _transport.PeerAddress(p.Address))));
    }

    public static async Task<NodeHost> StartAsync(NodeConfig config, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        var grpcAddress = ParseListen(config.GrpcListen, "grpcListen");
        var httpAddress = ParseListen(config.HttpListen, "httpListen");
        var transport = NodeTransport.From(config);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null) logging(builder.Logging);
        else builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel's default of 100 concurrent streams per HTTP/2 connection would make the 101st WaitForCommit of
            // a client on one channel queue behind the others; integrators hold one call per pending tx.
            kestrel.Limits.Http2.MaxStreamsPerConnection = MaxStreamsPerConnection;
            kestrel.Listen(grpcAddress, o =>
            {
                o.Protocols = HttpProtocols.Http2;
                transport.Secure(o, peers: true);
            });
            kestrel.Listen(httpAddress, o =>
            {
                o.Protocols = HttpProtocols.Http1;
                transport.Secure(o, peers: false);
            });
        });

        var loggers = LoggerFactory.Create(l =>
        {
            if (logging is not null) logging(l);
            else l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        });
        NodeRuntime runtime;
        try
        {
            runtime = NodeRuntime.Open(config, loggers, transport: transport);
        }
        catch
        {
            transport.Dispose();
            throw;
        }
        NodeMetrics metrics;
        try
        {
            metrics = new NodeMetrics(runtime, transport.Certificate);
        }
        catch
        {
            runtime.Dispose();
            transport.Dispose();
            throw;
        }
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton<ILedgerApi>(runtime.Api);
        var equivocations = new DriverEquivocations(runtime.Driver);
        builder.Services.AddSingleton<IEquivocationSource>(equivocations);
        AccessControl.Register(builder.Services, runtime.Api, new CallAuthenticator(runtime.ChainValidator),
            id => runtime.Chain.Validators.FindFrom(runtime.Chain.Head.Height + 1, id) is not null);
        // MalformedRequests logs a refused request on the serving host's logger, found through the call's HttpContext.
        builder.Services.AddHttpContextAccessor();
        var grpcServer = builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<AuthenticationInterceptor>();
            o.MaxReceiveMessageSize = LedgerGrpcService.MaxReceiveMessageSize;
            o.MaxSendMessageSize = LedgerGrpcService.MaxSendMessageSize;
            o.EnableDetailedErrors = false;
        });
        if (runtime.Network is { } network)
        {
            builder.Services.AddSingleton(network);
            grpcServer.AddServiceOptions<PeerGrpcService>(o => o.MaxReceiveMessageSize = o.MaxSendMessageSize = PeerNetwork.MaxFrameBytes);
        }

        WebApplication app;
        try
        {
            app = builder.Build();
            app.MapGrpcService<LedgerGrpcService>();
            if (runtime.Network is not null) app.MapGrpcService<PeerGrpcService>();
            app.MapGet("/healthz", () => Results.Text($"ok {runtime.Chain.Head.Height}\n"));
            app.MapGet("/metrics", async (HttpContext context) =>
            {
                context.Response.ContentType = MetricsExporter.ContentType;
                await metrics.WriteAsync(context.Response.Body, context.RequestAborted);
            });
            AdminEndpoints.Map(app, runtime, loggers.CreateLogger<AdminEndpoints>());
            app.MapGet("/equivocations", async (CancellationToken aborted) =>
                Results.Json((await equivocations.ListAsync(aborted)).Select(EquivocationReport.Of)));
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            metrics.Dispose();
            runtime.Dispose();
            transport.Dispose();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToArray();
        // Kestrel lists endpoints in the order they were configured.
        var grpc = addresses[0];
        var http = addresses[1];
        var stopping = new CancellationTokenSource();
        var production = Task.Run(() => runtime.RunProductionAsync(stopping.Token), CancellationToken.None);
        return new NodeHost(app, runtime, metrics, transport, grpc, http, stopping, production);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _production;
        }
        catch (OperationCanceledException)
        {
        }
        // Inbound peer streams end only when the network goes: dispose it before Kestrel waits for them.
        if (_runtime.Network is { } network) await network.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _metrics.Dispose();
        _runtime.Dispose();
        _transport.Dispose();
        _stopping.Dispose();
    }

    private static IPEndPoint ParseListen(string listen, string field) =>
        IPEndPoint.TryParse(listen, out var endpoint) && endpoint.Port is >= 0 and <= 65535
            ? endpoint
            : throw new LedgerException(ErrorCode.InvalidFieldValue, $"{field} '{listen}' is not host:port (an IP address)");
}
