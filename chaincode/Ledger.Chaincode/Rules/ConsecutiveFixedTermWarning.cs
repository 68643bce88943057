using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// Art. 14 para. 2 (3): after two consecutive fixed-term contracts the worker may insist on an open-ended one.
/// Proposing a third fixed term to the same worker commitment is lawful if the worker agrees, so it is a warning
/// in the receipt, not a refusal. Only new contracts count (register, renew, paper upload), not a change of one.
/// </summary>
public sealed class ConsecutiveFixedTermWarning : IWarningRule
{
    public static readonly ConsecutiveFixedTermWarning Instance = new();

    public ErrorCode Check(ActionContext context) =>
        context.Action != ContractAction.Change && context.ProposedTerms?.Type == ContractType.FixedTerm && context.Pair.ConsecutiveFixedTerms >= 2
            ? ErrorCode.ThirdConsecutiveFixedTerm
            : ErrorCode.Ok;
}
