using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Ledger.Explorer.Staff;

/// <summary>
/// Signed-in staff, in memory: a random 256-bit token in an HttpOnly, SameSite=Strict cookie; the server keeps only its
/// SHA-256 digest (a leaked session table opens nothing). A session ends when signed out, after
/// <see cref="IdleTimeout"/> unused, or <see cref="MaxLifetime"/> after sign-in; an explorer restart ends them all.
/// </summary>
public sealed class StaffSessions(TimeProvider? time = null)
{
    public const string Cookie = "ledger_staff";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(8);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public const int MaxSessions = 10_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>A signed-in account and the case number or inspection reference it reads for.</summary>
    public sealed class Session(StaffAccount account, string caseNumber, DateTimeOffset started)
    {
        public StaffAccount Account { get; } = account;
        public string CaseNumber { get; } = caseNumber;
        public DateTimeOffset Started { get; } = started;
        internal DateTimeOffset LastUsed { get; set; } = started;
    }

    /// <summary>Starts a session; the token goes in the cookie and nowhere else.</summary>
    public string Start(StaffAccount account, string caseNumber)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = _time.GetUtcNow();
        if (_sessions.Count >= MaxSessions) Sweep(now);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _sessions[Key(token)] = new Session(account, caseNumber, now);
        return token;
    }

    public Session? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64) return null;
        var key = Key(token);
        if (!_sessions.TryGetValue(key, out var session)) return null;
        var now = _time.GetUtcNow();
        if (now - session.Started > MaxLifetime || now - session.LastUsed > IdleTimeout)
        {
            _sessions.TryRemove(key, out _);
            return null;
        }
        session.LastUsed = now;
        return session;
    }

    public void End(string? token)
    {
        if (!string.IsNullOrEmpty(token) && token.Length <= 64) _sessions.TryRemove(Key(token), out _);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, session) in _sessions)
            if (now - session.Started > MaxLifetime || now - session.LastUsed > IdleTimeout) _sessions.TryRemove(key, out _);
        // Still full: the least recently used give way.
        foreach (var (key, _) in _sessions.OrderBy(p => p.Value.LastUsed).Take(Math.Max(0, _sessions.Count - MaxSessions + 1)))
            _sessions.TryRemove(key, out _);
    }

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
}
