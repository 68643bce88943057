using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>The term's last day is not before its first (a one-day term is start = end).</summary>
public sealed class EndNotBeforeStartRule : IContractRule
{
    public static readonly EndNotBeforeStartRule Instance = new();

    public ValidationResult Check(ActionContext context) =>
        context.ProposedTerms is { End: { } end } terms && end < terms.Start
            ? ValidationResult.Fail(ErrorCode.EndBeforeStart, $"the term ends {end}, before it starts {terms.Start}")
            : ValidationResult.Valid;
}
