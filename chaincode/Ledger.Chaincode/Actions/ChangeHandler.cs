using Ledger.Chaincode.Rules;
using Ledger.Chaincode.State;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>
/// Change (变更): the employer proposes a new document and terms as the next version, referencing the latest
/// version (a pending one is superseded). The version in force stays in force until both sign the new one.
/// </summary>
public sealed class ChangeHandler() : ActionHandler<ChangePayload>(
    new CompositeContractRule(
        ContractIdRule.Instance,
        LifecycleRule.Instance,
        NamedVersionRule.Instance,
        PlaceOfWorkRule.Instance,
        IndustryCodeRule.Instance,
        ModelTextIdRule.Instance,
        new SubmitterRoleRule(Role.Employer, Role.Integrator, Role.Bureau),
        EmployerOfRecordRule.Instance,
        BureauJurisdictionRule.Instance,
        StatementSignersRule.Instance,
        SingleWorkerKeyRule.Instance,
        NamedWorkerRule.Instance,
        EmployerConsentRule.Required,
        EndDateMatchesTypeRule.Instance,
        EndNotBeforeStartRule.Instance,
        ProbationWithinTermRule.Instance,
        ProbationLimitRule.Instance,
        SingleProbationRule.Instance))
{
    public override ContractAction Action => ContractAction.Change;

    protected override ActionContext Describe(TxContext tx, ChangePayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options) =>
        OnExisting(tx, payload, current, state, options, current?.Latest, payload.BaseVersion, null, payload.Terms);

    protected override void Apply(ActionContext context, ChangePayload payload, IStateStore state) =>
        ProposeVersion(context, state, ContractStatus.PendingChange, payload.DocumentHash, payload.DocumentFormat, payload.Terms);
}
