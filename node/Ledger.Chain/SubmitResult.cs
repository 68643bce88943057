using Ledger.Core;

namespace Ledger.Chain;

/// <summary>The answer to a submission: the tx id (when it could be computed) and whether it was admitted.</summary>
public sealed record SubmitResult(Hash32? TxId, ValidationResult Result)
{
    public bool Accepted => Result.IsValid;
}
