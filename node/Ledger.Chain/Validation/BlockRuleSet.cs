using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>
/// The rules for one kind of block, in two stages: the header (cheap, run on every proposal) and the body (txs and
/// their endorsements, run once per block: a block already executed at this height is not checked twice).
/// </summary>
public sealed class BlockRuleSet(CompositeBlockValidator header, CompositeBlockValidator body) : IBlockValidator
{
    public CompositeBlockValidator Header { get; } = header;

    public CompositeBlockValidator Body { get; } = body;

    public ValidationResult Validate(BlockCandidate candidate)
    {
        var header = Header.Validate(candidate);
        return header.IsValid ? Body.Validate(candidate) : header;
    }
}
