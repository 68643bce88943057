using Ledger.Core;
using Ledger.Core.Crypto;

namespace Ledger.Chain.Validation;

/// <summary>The hash a proposal was announced under is its header's hash (what the PREPAREs and seals will name).</summary>
public sealed class HeaderHashRule(IHasher hasher) : IBlockRule
{
    public ValidationResult Check(BlockCandidate candidate) =>
        candidate.Header.ComputeHash(hasher) == candidate.Hash
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.InvalidBlockHash, "the block's hash is not its header's");
}
