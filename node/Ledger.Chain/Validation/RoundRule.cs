using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>A block is made in the round it is proposed in, or an earlier one when it is re-proposed; never a later one.</summary>
public sealed class RoundRule : IBlockRule
{
    public static readonly RoundRule Instance = new();

    public ValidationResult Check(BlockCandidate candidate) =>
        candidate.Header.Round <= candidate.Round
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.BlockRoundAhead, $"a round-{candidate.Header.Round} block in round {candidate.Round}");
}
