using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>The header's proposer is a validator of the set (consensus checks that the proposal's signer is the round's proposer).</summary>
public sealed class ProposerRule(ValidatorSetInfo validators) : IBlockRule
{
    public ValidationResult Check(BlockCandidate candidate) =>
        validators.Find(candidate.Header.Proposer) is not null
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.UnknownValidator, $"the block's proposer {candidate.Header.Proposer} is not a validator");
}
