using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>A contract has one worker: statement signatures by two different worker keys in one tx are refused.</summary>
public sealed class SingleWorkerKeyRule : IContractRule
{
    public static readonly SingleWorkerKeyRule Instance = new();

    public ValidationResult Check(ActionContext context) =>
        context.Consents.WorkerKeys.Count <= 1
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.AmbiguousWorkerSignature, "the tx carries signatures of two different worker keys");
}
