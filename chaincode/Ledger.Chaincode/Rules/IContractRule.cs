using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>One check of a contract action, returning the reason it fails as a code (never a bare bool).</summary>
public interface IContractRule
{
    ValidationResult Check(ActionContext context);
}
