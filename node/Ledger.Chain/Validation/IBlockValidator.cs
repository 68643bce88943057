using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>Decides whether a block may be prepared or imported; the first refusal wins.</summary>
public interface IBlockValidator
{
    ValidationResult Validate(BlockCandidate candidate);
}
