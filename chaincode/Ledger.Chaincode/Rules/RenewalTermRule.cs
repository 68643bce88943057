using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>A renewal follows a term that has an end (fixed-term, or task-based with an expected end) and starts after that end.</summary>
public sealed class RenewalTermRule : IContractRule
{
    public static readonly RenewalTermRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.InForce is not { } current || context.ProposedTerms is not { } proposed) return ValidationResult.Valid;
        if (current.Terms.End is not { } end)
            return ValidationResult.Fail(ErrorCode.NotRenewable, $"a {current.Terms.Type} contract without an end date cannot be renewed; change it instead");
        return proposed.Start > end
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.RenewalNotAfterTerm, $"the renewal starts {proposed.Start}, not after the current term's end {end}");
    }
}
