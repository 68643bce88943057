using System.Security.Cryptography.X509Certificates;
using Ledger.Client;
using Ledger.Core;
using Ledger.Crypto.Transport;
using Ledger.Explorer.Api;
using Ledger.Explorer.Feed;
using Ledger.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ledger.Explorer;

/// <summary>
/// A running explorer: the pages and the JSON API on HTTPS (plain HTTP only with <c>insecure</c>), one gRPC connection to one node, and the trust anchor
/// (genesis.json from disk) it checks proofs against. <c>ledger explorer</c> runs one; <c>ledger devnet</c> may host
/// one in-process beside its nodes. Dispose it to stop.
/// </summary>
public sealed class ExplorerHost : IAsyncDisposable
{
    /// <summary>No external URL may load into a page: scripts, styles, workers and requests stay on this origin.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; worker-src 'self'; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private readonly WebApplication _app;
    private readonly BlockFeed _feed;
    private readonly LedgerClient _client;
    private readonly AnalyticsClient? _analytics;
    private readonly X509Certificate2? _certificate;

    private ExplorerHost(WebApplication app, BlockFeed feed, LedgerClient client, AnalyticsClient? analytics, Uri url, TrustAnchor? trust, X509Certificate2? certificate)
    {
        _analytics = analytics;
        _certificate = certificate;
        _app = app;
        _feed = feed;
        _client = client;
        Url = url;
        TrustAnchor = trust;
    }

    /// <summary>The address the explorer listens on (the first, if several were given), with the port actually bound.</summary>
    public Uri Url { get; }

    /// <summary>The configured genesis, or null when started without one.</summary>
    public TrustAnchor? TrustAnchor { get; }

    /// <summary>
    /// Starts the explorer and returns once it listens. A malformed node address, listen address or genesis file is a
    /// <see cref="LedgerException"/>; an unreadable file or a port in use an <see cref="IOException"/>; a node that is down is not an
    /// error: the pages say "node unreachable" until it answers.
    /// </summary>
    public static async Task<ExplorerHost> StartAsync(ExplorerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scheme = options.Insecure ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != scheme)
                throw new LedgerException(ErrorCode.InvalidFieldValue, options.Insecure
                    ? $"'{url}' is not an http://host:port address to listen on"
                    : $"'{url}' is not an https://host:port address to listen on (plain http only with --insecure)");
        }
        if (!options.Insecure && (options.TlsCertificatePath is null || options.TlsKeyPath is null))
            throw new LedgerException(ErrorCode.MissingField, "the explorer needs a TLS certificate and key (plain http only with --insecure)");
        var trust = options.GenesisPath is null ? null : TrustAnchor.Load(options.GenesisPath);
        var transportCa = options.TransportCaPath is null ? null : TransportTrust.Load(options.TransportCaPath);
        var certificate = options.Insecure ? null : TransportCredentials.Load(options.TlsCertificatePath!, options.TlsKeyPath!);
        var client = LedgerClient.Connect(options.NodeUrl, new LedgerClientOptions { CallTimeout = TimeSpan.FromSeconds(10), TransportCa = transportCa, Identity = options.Identity });
        // The dashboard's statistics: asked under the operator's own certificate, never a viewer's (the viewer holds none).
        var analytics = options.AnalyticsUrl is null || options.Identity is null ? null
            : AnalyticsClient.Connect(options.AnalyticsUrl, new LedgerClientOptions { CallTimeout = TimeSpan.FromSeconds(30), TransportCa = transportCa, Identity = options.Identity });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (options.Logging is not null) options.Logging(builder.Logging);
        else builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);   // a failed start is the caller's one-line error
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            if (certificate is not null)
            {
                k.ConfigureHttpsDefaults(https =>
                {
                    https.ServerCertificate = certificate;
                    https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
                });
            }
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        // Created by the container, so disposed with the app.
        builder.Services.AddSingleton(_ => new MetricsExporter("ledger_explorer"));

        WebApplication app;
        BlockFeed feed;
        try
        {
            app = builder.Build();
            feed = new BlockFeed(client, options.RecentBlocks, options.ReconnectDelay, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<BlockFeed>());
            var metrics = app.Services.GetRequiredService<MetricsExporter>();
            var requestSeconds = metrics.Meter.CreateHistogram<double>("request_seconds", "s", "HTTP requests served, by route and status code.");
            metrics.Meter.CreateObservableGauge("node_reachable", () => feed.NodeReachable ? 1 : 0, description: "Whether the explorer's node answers (1) or not (0).");
            app.Use(async (context, next) =>
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    await next(context);
                }
                finally
                {
                    // The route template, never the raw path: ids and hashes in URLs would make a series per request.
                    var route = (context.GetEndpoint() as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                    requestSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
                        new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("status", context.Response.StatusCode));
                }
            });
            app.MapGet("/metrics", async (HttpContext context) =>
            {
                context.Response.ContentType = MetricsExporter.ContentType;
                await metrics.WriteAsync(context.Response.Body, context.RequestAborted);
            });
            app.Use((context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                return next(context);
            });
            var accounts = options.AccountsPath is null ? Staff.StaffAccounts.Empty() : Staff.StaffAccounts.Load(options.AccountsPath);
            var sessions = new Staff.StaffSessions();
            new ExplorerApi(client, feed, trust, options, accounts, sessions).Map(app);
            new Dashboard.DashboardApi(analytics, sessions).Map(app);
            new StaticAssets().Map(app);
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            client.Dispose();
            analytics?.Dispose();
            certificate?.Dispose();
            throw;
        }
        feed.Start();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ExplorerHost(app, feed, client, analytics, new Uri(address), trust, certificate);
    }

    public async ValueTask DisposeAsync()
    {
        // The feed first: it ends every server-sent-event stream, so Kestrel need not wait for them.
        await _feed.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
        _analytics?.Dispose();
        _certificate?.Dispose();
    }
}
