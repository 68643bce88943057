using Ledger.Chaincode.Rules;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>One lifecycle action: how to read its tx, which rules it must pass, which warnings it may raise, and what it writes.</summary>
public interface IActionHandler
{
    ContractAction Action { get; }

    IContractRule Rule { get; }

    IReadOnlyList<IWarningRule> Warnings { get; }

    ActionContext Describe(TxContext tx, IContractPayload payload, IStateStore state, LabourContractOptions options);

    /// <summary>Writes the action's effect; called only after <see cref="Rule"/> passed.</summary>
    void Apply(ActionContext context, IStateStore state);
}
