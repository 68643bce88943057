using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>Probation is part of the term (art. 19 para. 4): it ends on or after the first day and not after the last.</summary>
public sealed class ProbationWithinTermRule : IContractRule
{
    public static readonly ProbationWithinTermRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.ProposedTerms is not { ProbationEnd: { } probationEnd } terms) return ValidationResult.Valid;
        if (probationEnd < terms.Start || (terms.End is { } end && probationEnd > end))
            return ValidationResult.Fail(ErrorCode.ProbationOutsideTerm, $"probation ending {probationEnd} is outside the term {terms.Start} to {terms.End?.ToString() ?? "open"}");
        return ValidationResult.Valid;
    }
}
