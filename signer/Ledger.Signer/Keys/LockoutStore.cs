using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ledger.Core;
using Ledger.Crypto;

namespace Ledger.Signer.Keys;

/// <summary>
/// Wrong-PIN counts and lock expiries, one small file per holder (<c>holders/&lt;id&gt;.lockout</c>: failures, locked
/// until (unix ms), HMAC-SM3 under a key derived from the service KEK), so a restart does not reset a lock and an edit
/// of the file on disk does not either (an altered file is <see cref="ErrorCode.KeyStoreTampered"/>).
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

    public readonly record struct State(int Failures, long LockedUntilMs)
    {
        public bool IsLocked(long nowMs) => LockedUntilMs > nowMs;
    }

    public State Read(string holderId)
    {
        var path = PathOf(holderId);
        if (!File.Exists(path)) return default;
        var parts = File.ReadAllText(path).Trim().Split(' ');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var failures)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var until)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[2]), Encoding.ASCII.GetBytes(Mac(holderId, failures, until))))
            throw new LedgerException(ErrorCode.KeyStoreTampered, $"the lockout file of holder {holderId} was altered or damaged");
        return new State(failures, until);
    }

    public void Write(string holderId, State state)
    {
        var path = PathOf(holderId);
        if (state == default)
        {
            File.Delete(path);
            return;
        }
        var text = string.Create(CultureInfo.InvariantCulture, $"{state.Failures} {state.LockedUntilMs} {Mac(holderId, state.Failures, state.LockedUntilMs)}\n");
        AtomicFile.Replace(path, Encoding.ASCII.GetBytes(text));
    }

    private string PathOf(string holderId) => Path.Combine(_directory, $"{HolderKeyStore.RequireId(holderId)}.lockout");

    private string Mac(string holderId, int failures, long until) =>
        Convert.ToHexStringLower(HmacSm3.Compute(_macKey, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{holderId}\n{failures}\n{until}"))));
}
