using Ledger.Chaincode.Rules;
using Ledger.Chaincode.State;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>
/// Sign: adds the employer's and/or the worker's statement signature to the latest version. The first worker
/// signature binds the worker's key to the contract. With both signatures the version is in force; a signed
/// registration or renewal is a concluded contract for arts. 14 and 19.
/// </summary>
public sealed class SignHandler() : ActionHandler<SignPayload>(
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
        NewSignatureRule.Instance))
{
    public override ContractAction Action => ContractAction.Sign;

    protected override ActionContext Describe(TxContext tx, SignPayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options) =>
        OnExisting(tx, payload, current, state, options, current?.Latest, payload.Version, payload.DocumentHash);

    protected override void Apply(ActionContext context, SignPayload payload, IStateStore state)
    {
        var record = context.Current!;
        var target = context.Target!;
        var signed = target with
        {
            EmployerSigned = target.EmployerSigned || context.Consents.HasEmployer,
            WorkerSigned = target.WorkerSigned || context.Consents.HasWorker,
        };
        var versions = record.Versions.ToList();
        versions[(int)signed.Number - 1] = signed;
        var concluded = signed.EmployerSigned && signed.WorkerSigned;
        var updated = record with
        {
            Versions = versions,
            WorkerKeyId = record.WorkerKeyId ?? context.Consents.WorkerKey,
            EffectiveVersion = concluded ? signed.Number : record.EffectiveVersion,
            Status = concluded ? ContractStatus.Effective : record.Status,
            History = Append(record.History, Entry(context, signed.Number)),
        };
        ContractStore.Put(state, updated);
        if (concluded && signed.CreatedBy is ContractAction.Register or ContractAction.Renew)
            Conclude(state, updated, signed);
    }
}
