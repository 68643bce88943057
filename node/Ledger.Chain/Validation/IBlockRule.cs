using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>One check a block must pass; the refusal says why with a typed code (Nethermind's small validators).</summary>
public interface IBlockRule
{
    ValidationResult Check(BlockCandidate candidate);
}
