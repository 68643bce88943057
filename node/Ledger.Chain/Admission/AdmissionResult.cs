using Ledger.Core;

namespace Ledger.Chain.Admission;

/// <summary>Either an admitted tx or the typed reason it was refused (with its id when the body decoded).</summary>
public sealed record AdmissionResult(Hash32? TxId, AdmittedTx? Tx, ValidationResult Result)
{
    public static AdmissionResult Refused(Hash32? txId, ErrorCode code, string reason) => new(txId, null, ValidationResult.Fail(code, reason));

    public static AdmissionResult Refused(Hash32? txId, ValidationResult result) => new(txId, null, result);
}
