using Ledger.Core;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// The worker is bound by the key behind the worker's first statement signature on the contract, in whatever action
/// it came (usually the first sign): once recorded, every
/// worker signature, and a worker who submits the tx, must use that key.
/// </summary>
public sealed class BoundWorkerKeyRule : IContractRule
{
    public static readonly BoundWorkerKeyRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        var bound = context.Current?.WorkerKeyId;
        if (bound is { } key && context.Consents.WorkerKey is { } signer && signer != key)
            return ValidationResult.Fail(ErrorCode.WorkerKeyMismatch, $"the worker of this contract signs with key {key}, not {signer}");
        if (context.Submitter.Role == Role.Worker)
        {
            var expected = bound ?? context.Consents.WorkerKey;
            if (expected != context.Submitter.KeyId)
                return ValidationResult.Fail(ErrorCode.WorkerKeyMismatch, "a worker may submit only with the key that signs for the worker of this contract");
        }
        return ValidationResult.Valid;
    }
}
