using Ledger.Chain.Governance;
using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>The header's proposer is a validator of its height's set (consensus checks that the proposal's signer is the round's proposer).</summary>
public sealed class ProposerRule(ValidatorSets validators) : IBlockRule
{
    public ValidationResult Check(BlockCandidate candidate) =>
        validators.At(candidate.Header.Height).Find(candidate.Header.Proposer) is not null
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.UnknownValidator, $"the block's proposer {candidate.Header.Proposer} is not a validator at height {candidate.Header.Height}");
}
