using Ledger.Core;

namespace Ledger.Signer;

/// <summary><see cref="ErrorCode.KeyLocked"/>, with how long until the key may be tried again.</summary>
public sealed class KeyLockedException(TimeSpan retryAfter)
    : LedgerException(ErrorCode.KeyLocked, $"too many wrong PINs: the key is locked for {Math.Ceiling(retryAfter.TotalSeconds)} s more")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
