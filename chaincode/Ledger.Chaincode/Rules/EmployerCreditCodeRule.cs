using Ledger.Core;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Rules;

/// <summary>The employer's unified social credit code must be valid, check character included (GB 32100).</summary>
public sealed class EmployerCreditCodeRule : IContractRule
{
    public static readonly EmployerCreditCodeRule Instance = new();

    public ValidationResult Check(ActionContext context) =>
        CreditCode.TryParse(context.EmployerCreditCode, out _)
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.InvalidEmployerCreditCode, $"'{context.EmployerCreditCode}' is not a valid unified social credit code");
}
