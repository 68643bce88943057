using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ledger.Core;
using Ledger.Crypto;

namespace Ledger.Signer.Keys;

/// <summary>
/// Wrong-PIN counts and lock expiries, one small file per holder (<c>holders/&lt;id&gt;.lockout</c>: failures, locked
/// until (unix ms), locks so far, HMAC-SM3 under a key derived from the service KEK), so a restart does not reset a lock
/// or its escalation and an edit of the file on disk does not either (an altered file is
/// <see cref="ErrorCode.KeyStoreTampered"/>). Files written before escalation (three fields) read as no lock so far.
/// </summary>
public sealed class LockoutStore
{
    private readonly string _directory;
    private readonly byte[] _macKey;

    public LockoutStore(string dataDirectory, byte[] kek)
    {
        _directory = Path.Combine(dataDirectory, "holders");
        Directory.CreateDirectory(_directory);
        _macKey = HmacSm3.Compute(kek, "ledger signer lockout mac v1"u8);
    }

    /// <summary>Wrong PINs since the last lock, the lock's end, and how many locks since the last right PIN (the escalation).</summary>
    public readonly record struct State(int Failures, long LockedUntilMs, int Locks = 0)
    {
        public bool IsLocked(long nowMs) => LockedUntilMs > nowMs;
    }

    public State Read(string holderId)
    {
        var path = PathOf(holderId);
        if (!File.Exists(path)) return default;
        var parts = File.ReadAllText(path).Trim().Split(' ');
        var locks = 0;
        if (parts.Length is not (3 or 4)
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var failures)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var until)
            || (parts.Length == 4 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out locks))
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[^1]),
                Encoding.ASCII.GetBytes(parts.Length == 3 ? Mac(holderId, failures, until) : Mac(holderId, failures, until, locks))))
            throw new LedgerException(ErrorCode.KeyStoreTampered, $"the lockout file of holder {holderId} was altered or damaged");
        return new State(failures, until, locks);
    }

    public void Write(string holderId, State state)
    {
        var path = PathOf(holderId);
        if (state == default)
        {
            File.Delete(path);
            return;
        }
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{state.Failures} {state.LockedUntilMs} {state.Locks} {Mac(holderId, state.Failures, state.LockedUntilMs, state.Locks)}\n");
        AtomicFile.Replace(path, Encoding.ASCII.GetBytes(text));
    }

    private string PathOf(string holderId) => Path.Combine(_directory, $"{HolderKeyStore.RequireId(holderId)}.lockout");

    private string Mac(string holderId, int failures, long until) =>
        Convert.ToHexStringLower(HmacSm3.Compute(_macKey, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{holderId}\n{failures}\n{until}"))));

    /// <summary>The MAC of a four-field record: domain-separated from the three-field one, so neither passes for the other.</summary>
    private string Mac(string holderId, int failures, long until, int locks) =>
        Convert.ToHexStringLower(HmacSm3.Compute(_macKey, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v2\n{holderId}\n{failures}\n{until}\n{locks}"))));
}
