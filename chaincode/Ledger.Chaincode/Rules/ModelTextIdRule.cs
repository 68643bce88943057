using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>A model-text id, when given, has the shape of a contract id (short, printable ASCII, no personal data room).</summary>
public sealed class ModelTextIdRule : IContractRule
{
    public static readonly ModelTextIdRule Instance = new();

    public ValidationResult Check(ActionContext context) =>
        context.ProposedTerms?.ModelTextId is not { } id || ContractIdRule.IsValid(id)
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.InvalidModelTextId, "model-text id must be 1-64 characters of A-Z a-z 0-9 . _ - :");
}
