using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>The block is for the height being decided, and that height is the one after this node's head.</summary>
public sealed class HeightRule : IBlockRule
{
    public static readonly HeightRule Instance = new();

    public ValidationResult Check(BlockCandidate candidate)
    {
        var height = candidate.Header.Height;
        return height == candidate.Height && candidate.Parent.Height + 1 == height
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.BlockOutOfOrder, $"block {height} for height {candidate.Height}; this node is at {candidate.Parent.Height}");
    }
}
