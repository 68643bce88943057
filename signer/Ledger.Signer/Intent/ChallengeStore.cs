using System.Collections.Concurrent;
using System.Security.Cryptography;
using Ledger.Core;

namespace Ledger.Signer.Intent;

/// <summary>
/// Challenges in memory (they live minutes; a restart simply makes holders ask again). A used or expired challenge
/// is kept until twice its lifetime has passed, so a replay is told apart from a made-up id. Bounded: past
/// <see cref="MaxPending"/> open challenges, new requests are refused until old ones expire.
/// </summary>
public sealed class ChallengeStore(TimeProvider clock, TimeSpan lifetime)
{
    public const int MaxPending = 100_000;

    private readonly ConcurrentDictionary<string, Challenge> _challenges = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => lifetime;

    public Challenge Issue(string holderId, PayloadToSign payload)
    {
        if (_challenges.Count >= MaxPending) Sweep();
        if (_challenges.Count >= MaxPending)
            throw new LedgerException(ErrorCode.RateLimited, "too many open challenges; try again later");
        var challenge = new Challenge(RandomNumberGenerator.GetBytes(16), holderId, payload, payload.SigningMessage(), clock.GetUtcNow() + lifetime);
        _challenges[challenge.IdHex] = challenge;
        return challenge;
    }

    /// <summary>The challenge, or a typed refusal: unknown, already used, expired.</summary>
    public Challenge Find(ReadOnlySpan<byte> id)
    {
        if (id.Length != 16 || !_challenges.TryGetValue(Convert.ToHexStringLower(id), out var challenge))
            throw new LedgerException(ErrorCode.ChallengeUnknown, "no such challenge (ask for a new one)");
        if (challenge.IsConsumed)
            throw new LedgerException(ErrorCode.ChallengeReused, "this challenge was already used");
        if (clock.GetUtcNow() >= challenge.ExpiresAt)
        {
            challenge.TryConsume();
            throw new LedgerException(ErrorCode.ChallengeExpired, $"this challenge expired at {challenge.ExpiresAt:O}");
        }
        return challenge;
    }

    public int Count => _challenges.Count;

    /// <summary>Drops challenges older than twice their lifetime.</summary>
    public void Sweep()
    {
        var cutoff = clock.GetUtcNow() - lifetime;
        foreach (var (key, challenge) in _challenges)
            if (challenge.ExpiresAt < cutoff) _challenges.TryRemove(key, out _);
    }
}
