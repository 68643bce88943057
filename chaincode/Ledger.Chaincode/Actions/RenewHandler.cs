using Ledger.Chaincode.Rules;
using Ledger.Chaincode.State;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>
/// Renew (续订): the employer proposes a new term after the one in force, as the next version, referencing the
/// latest version. Both parties then sign it.
/// </summary>
public sealed class RenewHandler() : ActionHandler<RenewPayload>(
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
        SingleProbationRule.Instance,
        RenewalTermRule.Instance),
    ConsecutiveFixedTermWarning.Instance)
{
    public override ContractAction Action => ContractAction.Renew;

    protected override ActionContext Describe(TxContext tx, RenewPayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options) =>
        OnExisting(tx, payload, current, state, options, current?.Latest, payload.BaseVersion, null, payload.Terms);

    protected override void Apply(ActionContext context, RenewPayload payload, IStateStore state) =>
        ProposeVersion(context, state, ContractStatus.PendingRenewal, payload.DocumentHash, payload.DocumentFormat, payload.Terms);
}
