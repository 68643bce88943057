using System.Collections.Concurrent;

namespace Ledger.Explorer.Staff;

/// <summary>
/// Slows password guessing per account name: after <see cref="MaxFailures"/> wrong passwords within
/// <see cref="Window"/>, the name is blocked for <see cref="Lockout"/> (known and unknown names alike, so the answer
/// does not tell which exist). At most <see cref="MaxTracked"/> names are tracked; the oldest give way.
/// </summary>
public sealed class SignInThrottle(TimeProvider? time = null)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);
    public const int MaxTracked = 10_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(int Failures, DateTimeOffset First, DateTimeOffset? BlockedUntil);

    /// <summary>When the name may try again, or null when it may now.</summary>
    public DateTimeOffset? BlockedUntil(string user)
    {
        if (!_entries.TryGetValue(user, out var entry) || entry.BlockedUntil is not { } until) return null;
        if (_time.GetUtcNow() < until) return until;
        _entries.TryRemove(user, out _);
        return null;
    }

    public void Failed(string user)
    {
        var now = _time.GetUtcNow();
        if (_entries.Count >= MaxTracked && !_entries.ContainsKey(user))
            foreach (var (key, _) in _entries.OrderBy(p => p.Value.First).Take(_entries.Count - MaxTracked + 1)) _entries.TryRemove(key, out _);
        _entries.AddOrUpdate(user, _ => new Entry(1, now, null), (_, e) =>
        {
            var fresh = now - e.First > Window ? new Entry(0, now, null) : e;
            var failures = fresh.Failures + 1;
            return fresh with { Failures = failures, BlockedUntil = failures >= MaxFailures ? now + Lockout : null };
        });
    }

    public void Succeeded(string user) => _entries.TryRemove(user, out _);
}
