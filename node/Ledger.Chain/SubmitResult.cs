using Ledger.Core;

namespace Ledger.Chain;

/// <summary>
/// The answer to a submission: the tx id (when it could be computed), whether it was admitted, and for a refusal by a
/// full pool when to try again.
/// </summary>
public sealed record SubmitResult(Hash32? TxId, ValidationResult Result, TimeSpan? RetryAfter = null)
{
    public bool Accepted => Result.IsValid;
}
