using System.Net;
using Ledger.Chain;
using Ledger.Node.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Tests.Grpc;

/// <summary>LedgerGrpcService over real HTTP/2 on 127.0.0.1 (a free port), with the node's message size limits.</summary>
public sealed class GrpcTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestHost(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Address { get; }

    public static async Task<GrpcTestHost> StartAsync(ILedgerApi api, IEquivocationSource? equivocations = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(api);
        if (equivocations is not null) builder.Services.AddSingleton(equivocations);
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = LedgerGrpcService.MaxReceiveMessageSize;
            o.MaxSendMessageSize = LedgerGrpcService.MaxSendMessageSize;
        });
        var app = builder.Build();
        app.MapGrpcService<LedgerGrpcService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GrpcTestHost(app, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
