using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Ledger.Explorer.Api;

/// <summary>
/// Cache headers. With immediate finality a committed block or tx never changes: it is cached for a year under an ETag
/// (the hash that names it). Anything that moves with the head (overview, contract, search) is revalidated every time.
/// </summary>
internal static class HttpCaching
{
    public const string ImmutableValue = "public, max-age=31536000, immutable";

    /// <summary>Marks the response immutable; true when the client already holds it (answer 304).</summary>
    public static bool Immutable(HttpContext context, string tag)
    {
        var etag = $"\"{tag}\"";
        context.Response.Headers.CacheControl = ImmutableValue;
        context.Response.Headers.ETag = etag;
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        return ifNoneMatch.Count > 0 && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags) &&
            tags.Any(t => t.Tag.Equals(etag, StringComparison.Ordinal) || t.Equals(EntityTagHeaderValue.Any));
    }

    public static void NoCache(HttpContext context) => context.Response.Headers.CacheControl = "no-cache";
}
