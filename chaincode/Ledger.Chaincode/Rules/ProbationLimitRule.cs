using System.Globalization;
using Ledger.Chaincode.Law;
using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Rules;

/// <summary>Art. 19 para. 1 and 3: the probation fits the limit for the term (<see cref="ProbationLimits"/>).</summary>
public sealed class ProbationLimitRule : IContractRule
{
    public static readonly ProbationLimitRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.ProposedTerms is not { ProbationEnd: { } probationEnd } terms) return ValidationResult.Valid;
        if (ProbationLimits.LatestProbationEnd(terms) is not { } latest)
            return ValidationResult.Fail(ErrorCode.ProbationNotAllowed, terms.Type == ContractType.TaskBased
                ? "a task-based contract may not agree a probation (art. 19 para. 3)"
                : "a term under three months may not agree a probation (art. 19 para. 3)");
        return probationEnd <= latest
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.ProbationTooLong, string.Create(CultureInfo.InvariantCulture, $"probation may last {ProbationLimits.MaxMonths(terms)} month(s) for this term, to {latest} at the latest, not {probationEnd} (art. 19)"));
    }
}
