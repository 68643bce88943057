using Ledger.Core;
using Ledger.Crypto;

namespace Ledger.Signer.Keys;

/// <summary>
/// Holder keys created by <c>BeginEnrolment</c> and waiting for their operator's authorisation and the CA's certificate:
/// in memory only, for <c>challengeSeconds</c>, at most <see cref="MaxPending"/> at once (only operators create them).
/// A key is taken once; an expired one is disposed (its scalar zeroed). Thread-safe.
/// </summary>
internal sealed class PendingEnrolments(TimeProvider clock, TimeSpan lifetime) : IDisposable
{
    public const int MaxPending = 10_000;

    private readonly Dictionary<string, (Sm2PrivateKey Key, HolderKind Kind, DateTimeOffset ExpiresAt)> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>A new key for <paramref name="kind"/>, pending until the returned expiry.</summary>
    public (Sm2PublicKey PublicKey, DateTimeOffset ExpiresAt) Create(HolderKind kind)
    {
        var now = clock.GetUtcNow();
        var key = Sm2PrivateKey.Generate();
        var expiresAt = now + lifetime;
        lock (_gate)
        {
            Purge(now);
            if (_pending.Count >= MaxPending)
            {
                key.Dispose();
                throw new LedgerException(ErrorCode.RateLimited, "too many enrolments begun and not finished; retry shortly");
            }
            _pending[key.PublicKey.Id.ToHex()] = (key, kind, expiresAt);
        }
        return (key.PublicKey, expiresAt);
    }

    /// <summary>Takes the pending key with this public key, for this kind; the caller disposes it.</summary>
    public Sm2PrivateKey Take(ReadOnlySpan<byte> publicKey, HolderKind kind)
    {
        if (!Sm2PublicKey.TryFromBytes(publicKey, out var parsed, out _))
            throw new LedgerException(ErrorCode.EnrolmentAuthorisationMalformed, "the authorisation's holder key is not an SM2 public key");
        var id = parsed!.Id.ToHex();
        lock (_gate)
        {
            Purge(clock.GetUtcNow());
            if (!_pending.Remove(id, out var entry))
                throw new LedgerException(ErrorCode.EnrolmentKeyUnknown, "no pending key of this signer is the authorised holder key (never begun, already enrolled, or expired: begin again)");
            if (entry.Kind != kind)
            {
                entry.Key.Dispose();
                throw new LedgerException(ErrorCode.EnrolmentMismatch, $"the pending key was begun for a {entry.Kind}, not a {kind}");
            }
            return entry.Key;
        }
    }

    private void Purge(DateTimeOffset now)
    {
        foreach (var (id, entry) in _pending.Where(p => p.Value.ExpiresAt <= now).ToArray())
        {
            entry.Key.Dispose();
            _pending.Remove(id);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _pending.Values) entry.Key.Dispose();
            _pending.Clear();
        }
    }
}
