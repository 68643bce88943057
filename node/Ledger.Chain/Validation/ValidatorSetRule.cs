using Ledger.Chain.Governance;
using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>The header names the validator set of its height: genesis's, or the one governance votes scheduled for it.</summary>
public sealed class ValidatorSetRule(ValidatorSets validators) : IBlockRule
{
    public ValidationResult Check(BlockCandidate candidate)
    {
        var expected = validators.At(candidate.Header.Height).Hash;
        return candidate.Header.ValidatorSetHash == expected
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.WrongValidatorSet, $"the block names validator set {candidate.Header.ValidatorSetHash}, this height's is {expected}");
    }
}
