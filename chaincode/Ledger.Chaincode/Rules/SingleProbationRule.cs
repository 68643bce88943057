using Ledger.Core;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// Art. 19 para. 2: an employer may agree a probation with the same worker only once. A new contract or a
/// renewal may not have one if the pair ever concluded one; a change may shorten or drop the probation in
/// force but not add or extend one.
/// </summary>
public sealed class SingleProbationRule : IContractRule
{
    public static readonly SingleProbationRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.ProposedTerms?.ProbationEnd is not { } proposed) return ValidationResult.Valid;
        if (context.Action == ContractAction.Change)
        {
            return context.InForce?.Terms.ProbationEnd is { } current && proposed <= current
                ? ValidationResult.Valid
                : ValidationResult.Fail(ErrorCode.RepeatedProbation, "a change may not add or extend a probation (art. 19 para. 2)");
        }
        return context.Pair.ProbationAgreed
            ? ValidationResult.Fail(ErrorCode.RepeatedProbation, "this employer already agreed a probation with this worker (art. 19 para. 2)")
            : ValidationResult.Valid;
    }
}
