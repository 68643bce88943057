using Ledger.Core;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// The employer agrees: it submits the tx itself, or the tx carries its statement signature. With
/// <paramref name="bureauMayActAlone"/>, a bureau (already checked for jurisdiction) may act without it, as when
/// it records a termination for an employer that no longer exists.
/// </summary>
public sealed class EmployerConsentRule(bool bureauMayActAlone = false) : IContractRule
{
    public static readonly EmployerConsentRule Required = new();

    public static readonly EmployerConsentRule RequiredUnlessBureau = new(bureauMayActAlone: true);

    public ValidationResult Check(ActionContext context)
    {
        if (EmployerOfRecordRule.IsEmployerOfRecord(context) || context.Consents.HasEmployer) return ValidationResult.Valid;
        if (bureauMayActAlone && context.Submitter.Role == Role.Bureau) return ValidationResult.Valid;
        return ValidationResult.Fail(ErrorCode.MissingEmployerEndorsement, $"{context.Action} needs the statement signature of employer {context.EmployerCreditCode}");
    }
}
