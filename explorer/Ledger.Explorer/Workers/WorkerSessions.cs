using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Ledger.Core;

namespace Ledger.Explorer.Workers;

/// <summary>
/// Workers signed in with their own certificate: a one-time challenge (random, for this chain, valid
/// <see cref="ChallengeLifetime"/>, used once) that the worker signs with their SM2 key, then a session like staff's — a
/// random token in an HttpOnly, SameSite=Strict cookie, only its SHA-256 kept — that lets them read their own access list
/// and nothing else. In memory: an explorer restart ends them all.
/// </summary>
public sealed class WorkerSessions(TimeProvider? time = null)
{
    public const string Cookie = "ledger_worker";
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);
    public const int MaxEntries = 10_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _challenges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>A signed-in worker: their certificate id and the pseudonym their contracts name.</summary>
    public sealed record Session(Hash32 CertificateId, Hash32 Pseudonym, DateTimeOffset Started);

    /// <summary>A new challenge for <paramref name="chainId"/>: the exact text the worker signs (UTF-8, no trailing newline).</summary>
    public (string Text, DateTimeOffset Expires) NewChallenge(string chainId)
    {
        var now = _time.GetUtcNow();
        if (_challenges.Count >= MaxEntries)
            foreach (var (key, expires) in _challenges) if (expires < now) _challenges.TryRemove(key, out _);
        if (_challenges.Count >= MaxEntries) throw new LedgerException(ErrorCode.RateLimited, "too many open sign-in challenges: try again in a few minutes");
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var expiresAt = now + ChallengeLifetime;
        var text = $"Ledger explorer worker sign-in\nchain: {chainId}\nnonce: {nonce}\nexpires: {expiresAt:yyyy-MM-ddTHH:mm:ssZ}";
        _challenges[text] = expiresAt;
        return (text, expiresAt);
    }

    /// <summary>Takes a challenge this explorer issued, unexpired, once: a second use (a replayed signature) fails.</summary>
    public bool Redeem(string challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return _challenges.TryRemove(challenge, out var expires) && expires >= _time.GetUtcNow();
    }

    public string Start(Hash32 certificateId, Hash32 pseudonym)
    {
        var now = _time.GetUtcNow();
        if (_sessions.Count >= MaxEntries)
            foreach (var (key, s) in _sessions) if (now - s.Started > MaxLifetime) _sessions.TryRemove(key, out _);
        if (_sessions.Count >= MaxEntries) throw new LedgerException(ErrorCode.RateLimited, "too many worker sessions: try again later");
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _sessions[Key(token)] = new Session(certificateId, pseudonym, now);
        return token;
    }

    public Session? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64) return null;
        var key = Key(token);
        if (!_sessions.TryGetValue(key, out var session)) return null;
        if (_time.GetUtcNow() - session.Started <= MaxLifetime) return session;
        _sessions.TryRemove(key, out _);
        return null;
    }

    public void End(string? token)
    {
        if (!string.IsNullOrEmpty(token) && token.Length <= 64) _sessions.TryRemove(Key(token), out _);
    }

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
}
