using Ledger.Core;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Rules;

/// <summary>An employer acts only for its own credit code.</summary>
public sealed class EmployerOfRecordRule : IContractRule
{
    public static readonly EmployerOfRecordRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        var submitter = context.Submitter;
        if (submitter.Role != Role.Employer) return ValidationResult.Valid;
        return IsEmployerOfRecord(context)
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.NotEmployerOfRecord, $"the submitter's credit code {submitter.CreditCode?.Value ?? "(none)"} is not the contract's employer {context.EmployerCreditCode}");
    }

    public static bool IsEmployerOfRecord(ActionContext context) =>
        context.Submitter.Role == Role.Employer
        && context.Submitter.CreditCode is { } code
        && string.Equals(code.Value, context.EmployerCreditCode, StringComparison.Ordinal);
}
