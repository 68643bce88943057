using Ledger.Chaincode.Law;
using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>The proposed industry is a GB/T 4754-2017 code (<see cref="IndustryCodes"/>).</summary>
public sealed class IndustryCodeRule : IContractRule
{
    public static readonly IndustryCodeRule Instance = new();

    public ValidationResult Check(ActionContext context) =>
        context.ProposedTerms is not { } terms || IndustryCodes.IsValid(terms.Industry)
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.InvalidIndustryCode, $"'{context.ProposedTerms.Industry}' is not a GB/T 4754-2017 industry code");
}
