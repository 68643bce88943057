using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>The block extends this node's head. For a certified block a different parent means this node's chain forked.</summary>
public sealed class ParentRule : IBlockRule
{
    public static readonly ParentRule Instance = new();

    public ValidationResult Check(BlockCandidate candidate)
    {
        if (candidate.Header.PrevHash == candidate.Parent.Hash) return ValidationResult.Valid;
        return ValidationResult.Fail(ErrorCode.BlockParentMismatch, candidate.Certificate is null
            ? "the block does not extend this node's head"
            : "a certified block on another parent: this node's chain has forked");
    }
}
