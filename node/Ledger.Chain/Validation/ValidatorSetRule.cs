using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>The header names the validator set of its height (from genesis today; from governance once it exists).</summary>
public sealed class ValidatorSetRule(ValidatorSetInfo validators) : IBlockRule
{
    public ValidationResult Check(BlockCandidate candidate) =>
        candidate.Header.ValidatorSetHash == validators.Hash
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.WrongValidatorSet, $"the block names validator set {candidate.Header.ValidatorSetHash}, this height's is {validators.Hash}");
}
