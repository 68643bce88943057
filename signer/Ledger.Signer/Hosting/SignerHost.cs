using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ledger.Client;
using Ledger.Core;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Crypto.Transport;
using Ledger.Signer.Audit;
using Ledger.Signer.Grpc;
using Ledger.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Signer.Hosting;

/// <summary>
/// A running signer: <see cref="SignerService"/> behind two Kestrel endpoints — gRPC <c>ledger.v1.SignerService</c> on
/// HTTP/2 only, and HTTP/1.1 for /healthz and /metrics, both TLS with the signer's transport certificate (plaintext
/// only when the config says <c>insecure</c>: PINs cross this port) — plus the loop that anchors the audit head on the ledger every
/// <see cref="SignerConfig.AnchorIntervalSeconds"/>. Port 0 binds a free port; <see cref="GrpcEndpoint"/> and
/// <see cref="HttpEndpoint"/> say which. This is the entry point for <c>ledger signer</c> and <c>ledger devnet</c>.
/// </summary>
public sealed class SignerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _anchoring;
    private readonly IDisposable? _owned;

    private SignerHost(WebApplication app, SignerService service, Uri grpc, Uri http, CancellationTokenSource stopping, Task anchoring, IDisposable? owned)
    {
        _app = app;
        Service = service;
        GrpcEndpoint = grpc;
        HttpEndpoint = http;
        _stopping = stopping;
        _anchoring = anchoring;
        _owned = owned;
    }

    public Uri GrpcEndpoint { get; }

    public Uri HttpEndpoint { get; }

    public SignerService Service { get; }

    /// <summary>
    /// Starts a signer from its config. With <see cref="SignerConfig.NodeUrl"/> set (and no <paramref name="anchorLedger"/>
    /// given) it anchors on that node with the signer's own Bureau certificate and key.
    /// </summary>
    public static async Task<SignerHost> StartAsync(SignerConfig config, CancellationToken cancellationToken = default,
        Action<ILoggingBuilder>? logging = null, TimeProvider? clock = null, IAnchorLedger? anchorLedger = null, Ca.IEnrolmentCa? enrolmentCa = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        clock ??= TimeProvider.System;
        var grpcAddress = ParseListen(config.GrpcListen, "grpcListen");
        var httpAddress = ParseListen(config.HttpListen, "httpListen");

        var loggers = LoggerFactory.Create(l =>
        {
            if (logging is not null) logging(l);
            else l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        });
        var owned = new Owned(loggers);
        SignerService? service = null;
        try
        {
            X509Certificate2? tlsCertificate = null;
            TransportTrust? transportCa = null;
            if (config.Insecure != true)
            {
                tlsCertificate = TransportCredentials.Load(config.Resolve(config.TlsCertificate!), config.Resolve(config.TlsKey!));
                owned.Add(tlsCertificate);
                if (config.TransportCa is not null) transportCa = TransportTrust.Load(config.Resolve(config.TransportCa));
            }
            if (anchorLedger is null && config.NodeUrl is not null)
            {
                var certificate = LedgerCertificate.FromPem(await File.ReadAllTextAsync(config.Resolve(config.Certificate!), cancellationToken));
                var key = KeyFile.Load(config.Resolve(config.Key!), config.ReadPassphrase(), config.KeyFileOptions);
                owned.Add(key);
                if (key.PublicKey != certificate.PublicKey)
                    throw new LedgerException(ErrorCode.InvalidPrivateKey, "the signer's key does not belong to its certificate");
                // The signer reads its own anchors back: its calls are signed with its Bureau certificate.
                var client = LedgerClient.Connect(config.NodeUrl, new LedgerClientOptions
                {
                    TransportCa = transportCa, Identity = new Ledger.Client.Access.CallerIdentity(certificate, key),
                });
                owned.Add(client);
                anchorLedger = new LedgerAnchorClient(client, config.ChainId, certificate, key, clock);
            }
            service = SignerService.Open(config, anchorLedger, clock, loggers.CreateLogger("Ledger.Signer"), enrolmentCa);
            owned.Add(service);

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            if (logging is not null) logging(builder.Logging);
            else builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = config.MaxMessageBytes + 1024;
                kestrel.Limits.Http2.MaxStreamsPerConnection = 100;
                kestrel.Listen(grpcAddress, o =>
                {
                    o.Protocols = HttpProtocols.Http2;
                    if (tlsCertificate is not null) o.UseHttps(Https(tlsCertificate));
                });
                kestrel.Listen(httpAddress, o =>
                {
                    o.Protocols = HttpProtocols.Http1;
                    if (tlsCertificate is not null) o.UseHttps(Https(tlsCertificate));
                });
            });
            var timeout = TimeSpan.FromSeconds(config.CallTimeoutSeconds);
            builder.Services.AddSingleton(service);
            builder.Services.AddSingleton(new TokenBucketLimiter(config.RateLimitPerSecond, config.RateLimitBurst, clock));
            builder.Services.AddSingleton(sp => new CallLimitsInterceptor(sp.GetRequiredService<TokenBucketLimiter>(), service, timeout));
            builder.Services.AddGrpc(o =>
            {
                o.MaxReceiveMessageSize = config.MaxMessageBytes;
                o.MaxSendMessageSize = 4 * 1024 * 1024;
                o.EnableDetailedErrors = false;
                o.Interceptors.Add<CallLimitsInterceptor>();
            });

            // Created by the container, so disposed with the app.
            builder.Services.AddSingleton(_ => new MetricsExporter("ledger_signer"));
            var app = builder.Build();
            var metrics = app.Services.GetRequiredService<MetricsExporter>();
            service.Metrics.Attach(metrics.Meter, () => service.AuditHead, () => service.AnchoredHead);
            app.MapGrpcService<SignerGrpcService>();
            app.MapGet("/healthz", () => Results.Text($"ok audit {service.AuditHead}\n"));
            app.MapGet("/metrics", async (HttpContext context) =>
            {
                context.Response.ContentType = MetricsExporter.ContentType;
                await metrics.WriteAsync(context.Response.Body, context.RequestAborted);
            });
            await app.StartAsync(cancellationToken);

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToArray();
            var stopping = new CancellationTokenSource();
            var logger = loggers.CreateLogger("Ledger.Signer.Anchoring");
            var anchoring = anchorLedger is null
                ? Task.CompletedTask
                : Task.Run(() => AnchorLoopAsync(service, TimeSpan.FromSeconds(config.AnchorIntervalSeconds), clock, logger, stopping.Token), CancellationToken.None);
            // Kestrel lists endpoints in the order they were configured.
            return new SignerHost(app, service, addresses[0], addresses[1], stopping, anchoring, owned);
        }
        catch
        {
            owned.Dispose();
            throw;
        }
    }

    private static HttpsConnectionAdapterOptions Https(X509Certificate2 certificate) => new()
    {
        ServerCertificate = certificate,
        SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _anchoring;
        }
        catch (OperationCanceledException)
        {
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        _owned?.Dispose();
        _stopping.Dispose();
    }

    private static async Task AnchorLoopAsync(SignerService service, TimeSpan interval, TimeProvider clock, ILogger logger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stopping).ConfigureAwait(false);
                await service.AnchorOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is LedgerException or LedgerClientException or IOException)
            {
                // The node may be down or behind: the next interval tries again with the then-current head.
                logger.LogWarning("anchoring the audit head failed: {Reason}", e.Message);
            }
        }
    }

    private static IPEndPoint ParseListen(string listen, string field) =>
        IPEndPoint.TryParse(listen, out var endpoint) && endpoint.Port is >= 0 and <= 65535
            ? endpoint
            : throw new LedgerException(ErrorCode.InvalidFieldValue, $"{field} '{listen}' is not host:port (an IP address)");

    /// <summary>What the host disposes when it stops, in reverse order of creation.</summary>
    private sealed class Owned(IDisposable first) : IDisposable
    {
        private readonly List<IDisposable> _items = [first];

        public void Add(IDisposable item) => _items.Add(item);

        public void Dispose()
        {
            for (var i = _items.Count - 1; i >= 0; i--) _items[i].Dispose();
        }
    }
}
