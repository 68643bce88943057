using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ledger.Core;
using Ledger.Crypto.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Signer.Ca;

/// <summary>
/// A running city CA process (<c>ledger ca serve</c>): <see cref="EnrolmentCa"/> behind one Kestrel endpoint, gRPC
/// <c>ledger.v1.CaService</c> on HTTP/2, mutual TLS — the client must present a certificate of the consortium's
/// transport CA, or the handshake fails; <see cref="CaCallInterceptor"/> then admits only the allowed signers' names.
/// Port 0 binds a free port; <see cref="GrpcEndpoint"/> says which.
/// </summary>
public sealed class CaHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ILoggerFactory _loggers;
    private readonly X509Certificate2? _tls;

    private CaHost(WebApplication app, EnrolmentCa ca, Uri grpc, ILoggerFactory loggers, X509Certificate2? tls)
    {
        _app = app;
        Ca = ca;
        GrpcEndpoint = grpc;
        _loggers = loggers;
        _tls = tls;
    }

    public Uri GrpcEndpoint { get; }

    public EnrolmentCa Ca { get; }

    public static async Task<CaHost> StartAsync(CaConfig config, CancellationToken cancellationToken = default, Action<ILoggingBuilder>? logging = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (!IPEndPoint.TryParse(config.GrpcListen, out var address))
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"grpcListen '{config.GrpcListen}' is not host:port (an IP address)");
        var loggers = LoggerFactory.Create(l =>
        {
            if (logging is not null) logging(l);
            else l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        });
        X509Certificate2? tls = null;
        EnrolmentCa? ca = null;
        try
        {
            TransportTrust? trust = null;
            if (config.Insecure != true)
            {
                tls = TransportCredentials.Load(config.Resolve(config.TlsCertificate!), config.Resolve(config.TlsKey!));
                trust = TransportTrust.Load(config.Resolve(config.TransportCa!));
            }
            ca = EnrolmentCa.Open(config, clock, loggers.CreateLogger("Ledger.Signer.Ca"));
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            if (logging is not null) logging(builder.Logging);
            else builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = 64 * 1024;
                kestrel.Listen(address, o =>
                {
                    o.Protocols = HttpProtocols.Http2;
                    if (tls is not null)
                        o.UseHttps(new HttpsConnectionAdapterOptions
                        {
                            ServerCertificate = tls,
                            SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                            ClientCertificateValidation = trust!.ValidateClient,
                        });
                });
            });
            IReadOnlySet<string>? allowed = config.Insecure == true ? null : new HashSet<string>(config.AllowedClients, StringComparer.Ordinal);
            builder.Services.AddSingleton(ca);
            builder.Services.AddSingleton(sp => new CaCallInterceptor(allowed, sp.GetRequiredService<ILogger<CaCallInterceptor>>()));
            builder.Services.AddGrpc(o =>
            {
                o.MaxReceiveMessageSize = 64 * 1024;
                o.EnableDetailedErrors = false;
                o.Interceptors.Add<CaCallInterceptor>();
            });
            var app = builder.Build();
            app.MapGrpcService<CaGrpcService>();
            await app.StartAsync(cancellationToken);
            var endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).First();
            return new CaHost(app, ca, endpoint, loggers, tls);
        }
        catch
        {
            ca?.Dispose();
            tls?.Dispose();
            loggers.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Ca.Dispose();
        _tls?.Dispose();
        _loggers.Dispose();
    }
}
