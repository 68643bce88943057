using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Rules;

/// <summary>A fixed-term contract has an end date (art. 13); an open-ended one has none (art. 14). A task-based one may give its expected end.</summary>
public sealed class EndDateMatchesTypeRule : IContractRule
{
    public static readonly EndDateMatchesTypeRule Instance = new();

    public ValidationResult Check(ActionContext context) => context.ProposedTerms switch
    {
        { Type: ContractType.FixedTerm, End: null } => ValidationResult.Fail(ErrorCode.MissingEndDate, "a fixed-term contract needs an end date"),
        { Type: ContractType.OpenEnded, End: not null } => ValidationResult.Fail(ErrorCode.UnexpectedEndDate, "an open-ended contract has no end date"),
        _ => ValidationResult.Valid,
    };
}
