using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>Block time strictly increases along the chain (PBTS: a block's time is after its parent's).</summary>
public sealed class TimeAfterParentRule : IBlockRule
{
    public static readonly TimeAfterParentRule Instance = new();

    public ValidationResult Check(BlockCandidate candidate)
    {
        var (time, parent) = (candidate.Header.Timestamp, candidate.Parent.Header.Timestamp);
        return time > parent
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.BlockTimeNotAfterParent, $"the block's time {time} is not after its parent's {parent}");
    }
}
