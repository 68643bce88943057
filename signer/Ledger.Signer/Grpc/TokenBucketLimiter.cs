using System.Collections.Concurrent;

namespace Ledger.Signer.Grpc;

/// <summary>
/// One token bucket per client (refilled at <c>rate</c> tokens/s up to <c>burst</c>). Bounded: when it tracks too many
/// clients, full buckets are dropped (a dropped bucket comes back full, which is what it was).
/// </summary>
public sealed class TokenBucketLimiter(double ratePerSecond, int burst, TimeProvider clock)
{
    private const int MaxClients = 100_000;

    private sealed class Bucket
    {
        public double Tokens;
        public long Stamp;
    }

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes a token for <paramref name="client"/>; when there is none, false and how long until there is.</summary>
    public bool TryTake(string client, out TimeSpan retryAfter)
    {
        if (_buckets.Count > MaxClients) Trim();
        var now = clock.GetTimestamp();
        var bucket = _buckets.GetOrAdd(client, _ => new Bucket { Tokens = burst, Stamp = now });
        lock (bucket)
        {
            var elapsed = clock.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            if (elapsed > 0)
            {
                bucket.Tokens = Math.Min(burst, bucket.Tokens + elapsed * ratePerSecond);
                bucket.Stamp = now;
            }
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / ratePerSecond);
            return false;
        }
    }

    private void Trim()
    {
        var now = clock.GetTimestamp();
        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                if (bucket.Tokens + clock.GetElapsedTime(bucket.Stamp, now).TotalSeconds * ratePerSecond >= burst) _buckets.TryRemove(key, out _);
            }
        }
    }

    /// <summary>The client part of a gRPC peer ("ipv4:1.2.3.4:5678" → "ipv4:1.2.3.4"): one bucket per address, not per connection.</summary>
    public static string ClientOf(string? peer)
    {
        if (string.IsNullOrEmpty(peer)) return "unknown";
        var colon = peer.LastIndexOf(':');
        var bracket = peer.LastIndexOf(']');
        return colon > bracket && colon > peer.IndexOf(':', StringComparison.Ordinal) ? peer[..colon] : peer;
    }
}
