using Ledger.Chaincode.Rules;
using Ledger.Chaincode.State;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>
/// Dissolve (解除) the version in force on a basis of arts. 36-41, with the consent that basis needs
/// (<see cref="DissolutionConsentRule"/>). Final: a pending change or renewal dies with the contract.
/// </summary>
public sealed class DissolveHandler() : ActionHandler<DissolvePayload>(
    new CompositeContractRule(
        ContractIdRule.Instance,
        LifecycleRule.Instance,
        NamedVersionRule.Instance,
        NamedDocumentRule.Instance,
        new SubmitterRoleRule(Role.Employer, Role.Integrator, Role.Bureau, Role.Worker),
        EmployerOfRecordRule.Instance,
        BureauJurisdictionRule.Instance,
        StatementSignersRule.Instance,
        SingleWorkerKeyRule.Instance,
        NamedWorkerRule.Instance,
        DissolutionConsentRule.Instance,
        EffectiveDateRule.Instance,
        ProbationDissolutionRule.Instance))
{
    public override ContractAction Action => ContractAction.Dissolve;

    protected override ActionContext Describe(TxContext tx, DissolvePayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options) =>
        OnExisting(tx, payload, current, state, options, current?.InForce, payload.Version, payload.DocumentHash);

    protected override void Apply(ActionContext context, DissolvePayload payload, IStateStore state)
    {
        var record = context.Current!;
        ContractStore.Put(state, record with
        {
            Status = ContractStatus.Dissolved,
            WorkerKeyId = record.WorkerKeyId ?? context.Consents.WorkerKey,
            ClosedOn = payload.EffectiveDate,
            ClosureDetail = (uint)payload.Basis,
            History = Append(record.History, Entry(context, context.Target!.Number, (uint)payload.Basis, payload.EffectiveDate)),
        });
    }
}
