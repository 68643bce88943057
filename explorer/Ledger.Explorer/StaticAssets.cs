using System.Reflection;
using Ledger.Crypto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ledger.Explorer;

/// <summary>
/// The pages, styles and scripts embedded in this assembly: <c>wwwroot/*</c> under <c>/assets/</c>, the npm libraries
/// under <c>/lib/</c>, and <c>index.html</c> for every page path (the pages route in the browser). Each is revalidated
/// by its ETag (SM3 of its bytes), so an upgraded explorer is picked up at once.
/// </summary>
internal sealed class StaticAssets
{
    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);
    private readonly Asset _index;

    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames())
        {
            string path;
            if (name.StartsWith("wwwroot/", StringComparison.Ordinal)) path = "/assets/" + name["wwwroot/".Length..];
            else if (name.StartsWith("lib/", StringComparison.Ordinal)) path = "/" + name;
            else continue;
            _assets[path] = Load(assembly, name);
        }
        _index = _assets.GetValueOrDefault("/assets/index.html") ?? throw new InvalidOperationException("index.html is not embedded");
    }

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{*path}", (HttpContext c, string path) => Serve(c, _assets.GetValueOrDefault("/assets/" + path)));
        app.MapGet("/lib/{*path}", (HttpContext c, string path) => Serve(c, _assets.GetValueOrDefault("/lib/" + path)));
        app.MapGet("/favicon.ico", (HttpContext c) => Serve(c, _assets.GetValueOrDefault("/assets/favicon.svg")));
        app.MapFallback((HttpContext c) => HttpMethods.IsGet(c.Request.Method) || HttpMethods.IsHead(c.Request.Method)
            ? Serve(c, _index)
            : Results.StatusCode(StatusCodes.Status405MethodNotAllowed));
    }

    private static IResult Serve(HttpContext context, Asset? asset)
    {
        if (asset is null) return Results.NotFound();
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static Asset Load(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            ".json" => "application/json; charset=utf-8",
            ".png" => "image/png",
            _ => "application/octet-stream",
        };
        return new Asset(content, type, $"\"{Sm3.Hash(content).ToHex()[..32]}\"");
    }

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}
