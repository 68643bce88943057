using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>Rules checked in order; the first failure is the answer.</summary>
public sealed class CompositeContractRule(params IReadOnlyList<IContractRule> rules) : IContractRule
{
    public IReadOnlyList<IContractRule> Rules { get; } = rules;

    public ValidationResult Check(ActionContext context)
    {
        foreach (var rule in Rules)
        {
            var result = rule.Check(context);
            if (!result.IsValid) return result;
        }
        return ValidationResult.Valid;
    }
}
