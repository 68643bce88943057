using Ledger.Crypto;

namespace Ledger.Node.Admin;

/// <summary>
/// Admits an <see cref="AdminRequest"/> only when the node's own key signed it for this action, chain and node, less
/// than <see cref="MaxSkew"/> from this node's clock, with a nonce not seen before. Every refusal is one line saying why.
/// </summary>
public sealed class AdminAuthenticator(string chainId, string node, Sm2PublicKey key, TimeProvider time)
{
    /// <summary>How far a request's time may be from the node's clock (either way).</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal); // nonce -> its request's time, under the lock
    private readonly Lock _lock = new();

    /// <summary>Null when admitted, else why not.</summary>
    public string? Refuse(string action, string? requestHeader, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(requestHeader) || string.IsNullOrEmpty(signatureHeader))
            return $"an admin request needs the {AdminRequest.RequestHeader} and {AdminRequest.SignatureHeader} headers, signed with this node's key";
        byte[] message, signature;
        try
        {
            message = Convert.FromBase64String(requestHeader);
            signature = Convert.FromBase64String(signatureHeader);
        }
        catch (FormatException)
        {
            return "the admin request headers are not base64";
        }
        var request = AdminRequest.Parse(message);
        if (request is null) return $"{AdminRequest.RequestHeader} is not an admin request";
        if (request.Action != action) return $"the request is signed for '{request.Action}', not '{action}'";
        if (request.ChainId != chainId || request.Node != node)
            return $"the request is for node {request.Node} of chain {request.ChainId}; this is {node} of {chainId}";
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (Math.Abs(now - request.UnixMs) > (long)MaxSkew.TotalMilliseconds)
            return $"the request was signed {(now - request.UnixMs) / 1000.0:0.#} s from this node's clock (at most {MaxSkew.TotalSeconds:0} s either way)";
        if (!key.Verify(message, signature)) return "the signature is not by this node's key: only the node's operator may ask for this";
        lock (_lock)
        {
            foreach (var stale in _seen.Where(e => Math.Abs(now - e.Value) > 2 * (long)MaxSkew.TotalMilliseconds).Select(e => e.Key).ToArray())
                _seen.Remove(stale);
            if (!_seen.TryAdd(request.Nonce, request.UnixMs)) return "this request was already used (replayed nonce)";
        }
        return null;
    }
}
