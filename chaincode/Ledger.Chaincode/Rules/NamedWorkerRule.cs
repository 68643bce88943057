using Ledger.Core;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// The worker who consents is the worker the contract names: every Worker statement signature, and a Worker submitter,
/// must come from a Worker certificate carrying the contract's worker pseudonym. Any other worker — say a second Worker
/// certificate an employer obtained for someone of its own to sign "for" the worker — is <see cref="ErrorCode.WrongWorker"/>.
/// A worker who re-enrols (new key, same person) keeps the pseudonym, so keeps consenting.
/// </summary>
public sealed class NamedWorkerRule : IContractRule
{
    public static readonly NamedWorkerRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        var named = context.WorkerPseudonym;
        foreach (var pseudonym in context.Consents.WorkerPseudonyms)
        {
            if (pseudonym != named)
                return ValidationResult.Fail(ErrorCode.WrongWorker, $"the worker of contract {context.Payload.ContractId} is {named}; a statement signature by worker {pseudonym} is not theirs");
        }
        if (context.Submitter.Role == Role.Worker && context.Submitter.WorkerPseudonym != named)
            return ValidationResult.Fail(ErrorCode.WrongWorker, $"a worker submits only for a contract that names them ({named})");
        return ValidationResult.Valid;
    }
}
