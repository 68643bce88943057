using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>Runs its rules in order, cheapest first, and answers with the first refusal (Nethermind's CompositeTxValidator).</summary>
public sealed class CompositeBlockValidator(IReadOnlyList<IBlockRule> rules) : IBlockValidator
{
    public IReadOnlyList<IBlockRule> Rules { get; } = rules;

    public ValidationResult Validate(BlockCandidate candidate)
    {
        foreach (var rule in Rules)
        {
            var result = rule.Check(candidate);
            if (!result.IsValid) return result;
        }
        return ValidationResult.Valid;
    }
}
