using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>The worker agrees: the tx carries the worker's statement signature (whose pseudonym <see cref="NamedWorkerRule"/> checks).</summary>
public sealed class WorkerConsentRule : IContractRule
{
    public static readonly WorkerConsentRule Instance = new();

    public ValidationResult Check(ActionContext context) =>
        context.Consents.HasWorker
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.MissingWorkerSignature, $"{context.Action} needs the worker's statement signature");
}
