using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ledger.Analytics;
using Ledger.Analytics.Statistics;
using Ledger.Analytics.Warnings;
using Ledger.Crypto.Certificates;
using Ledger.Node.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Cli.Analytics;

/// <summary>The analytics gRPC server: Kestrel on one HTTP/2 endpoint (TLS unless plaintext is asked for), AnalyticsService behind call authentication.</summary>
public static class AnalyticsHost
{
    public static WebApplication Build(AnalyticsHostOptions options, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var uri = new Uri(options.Url);
        var secure = uri.Scheme == Uri.UriSchemeHttps;
        var address = IPAddress.TryParse(uri.Host, out var ip) ? ip : IPAddress.Loopback;
        X509Certificate2? certificate = null;
        if (secure)
        {
            if (options.TlsCertificatePath is null || options.TlsKeyPath is null)
                throw new AnalyticsException("https needs a TLS certificate and key");
            certificate = X509Certificate2.CreateFromPemFile(options.TlsCertificatePath, options.TlsKeyPath);
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null) logging(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, uri.Port, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            if (certificate is not null) o.UseHttps(certificate);
        }));
        var genesis = options.Genesis;
        var root = LedgerCertificate.FromPem(genesis.RootCertificate);
        var intermediates = genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem).ToArray();
        builder.Services.AddSingleton(new CallAuthenticator(new CertificateChainValidator(root, intermediates, [])));
        builder.Services.AddSingleton(new StatisticsReader(options.DataSource));
        builder.Services.AddSingleton(new WarningStore(options.DataSource));
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<AuthenticatingInterceptor>();
            o.EnableDetailedErrors = false;
        });
        var app = builder.Build();
        app.MapGrpcService<AnalyticsGrpcService>();
        return app;
    }
}
