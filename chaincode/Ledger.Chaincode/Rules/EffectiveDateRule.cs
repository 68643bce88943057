using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Rules;

/// <summary>A dissolution or termination takes effect on or after the first day of the version in force.</summary>
public sealed class EffectiveDateRule : IContractRule
{
    public static readonly EffectiveDateRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.InForce is not { } current || EffectiveDate(context) is not { } effective) return ValidationResult.Valid;
        return effective >= current.Terms.Start
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.EffectiveBeforeStart, $"effective date {effective} is before the contract's start {current.Terms.Start}");
    }

    internal static ContractDate? EffectiveDate(ActionContext context) => context.Payload switch
    {
        DissolvePayload d => d.EffectiveDate,
        TerminatePayload t => t.EffectiveDate,
        _ => null,
    };
}
