using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Governance;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// Art. 44(1): termination because the term expired needs a term that expires: a fixed term, effective on or
/// after its last day — and, from protocol version 4, a term that has expired on chain: the block's date has reached its
/// last day (before, an expiry dated years ahead closed a contract today). An open-ended contract never expires; a
/// task-based one ends when the task is done, which the chain cannot see, so it is accepted.
/// </summary>
public sealed class TermExpiryRule : IContractRule
{
    public static readonly TermExpiryRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.Payload is not TerminatePayload { Reason: TerminationReason.TermExpired } terminate || context.InForce is not { } current)
            return ValidationResult.Valid;
        return current.Terms switch
        {
            { Type: ContractType.OpenEnded } => ValidationResult.Fail(ErrorCode.TermNotExpired, "an open-ended contract has no term to expire"),
            { Type: ContractType.FixedTerm, End: { } end } when terminate.EffectiveDate < end =>
                ValidationResult.Fail(ErrorCode.TermNotExpired, $"the term runs to {end}; it has not expired on {terminate.EffectiveDate}"),
            { Type: ContractType.FixedTerm, End: { } end } when context.Tx.ProtocolVersion >= ProtocolVersions.V4 && context.Today < end =>
                ValidationResult.Fail(ErrorCode.TermNotExpired, $"the term runs to {end}; today on chain is {context.Today}: a termination for expiry is recorded once the term has ended"),
            _ => ValidationResult.Valid,
        };
    }
}
