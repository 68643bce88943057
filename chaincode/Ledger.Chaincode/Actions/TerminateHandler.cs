using Ledger.Chaincode.Rules;
using Ledger.Chaincode.State;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>
/// Terminate (终止) the version in force for an art. 44 reason: the employer's side records it (itself, or an
/// integrator with its signature), or a bureau in its jurisdiction, which may act alone (bankrupt or closed
/// employers, deceased workers). Final.
/// </summary>
public sealed class TerminateHandler() : ActionHandler<TerminatePayload>(
    new CompositeContractRule(
        ContractIdRule.Instance,
        LifecycleRule.Instance,
        NamedVersionRule.Instance,
        NamedDocumentRule.Instance,
        new SubmitterRoleRule(Role.Employer, Role.Integrator, Role.Bureau),
        EmployerOfRecordRule.Instance,
        BureauJurisdictionRule.Instance,
        StatementSignersRule.Instance,
        SingleWorkerKeyRule.Instance,
        NamedWorkerRule.Instance,
        EmployerConsentRule.RequiredUnlessBureau,
        BureauGroundRule.Instance,
        EffectiveDateRule.Instance,
        TermExpiryRule.Instance))
{
    public override ContractAction Action => ContractAction.Terminate;

    protected override ActionContext Describe(TxContext tx, TerminatePayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options) =>
        OnExisting(tx, payload, current, state, options, current?.InForce, payload.Version, payload.DocumentHash);

    protected override void Apply(ActionContext context, TerminatePayload payload, IStateStore state)
    {
        var record = context.Current!;
        ContractStore.Put(state, record with
        {
            Status = ContractStatus.Terminated,
            WorkerKeyId = record.WorkerKeyId ?? context.Consents.WorkerKey,
            ClosedOn = payload.EffectiveDate,
            ClosureDetail = (uint)payload.Reason,
            History = Append(record.History, Entry(context, context.Target!.Number, (uint)payload.Reason, payload.EffectiveDate)),
        });
    }
}
