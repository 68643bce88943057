using Ledger.Chaincode.Rules;
using Ledger.Chaincode.State;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>Register: by the employer, or an integrator or bureau with the employer's statement signature; creates version 1 pending both signatures.</summary>
public sealed class RegisterHandler() : ActionHandler<RegisterPayload>(
    new CompositeContractRule(
        ContractIdRule.Instance,
        LifecycleRule.Instance,
        EmployerCreditCodeRule.Instance,
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
        SingleProbationRule.Instance),
    ConsecutiveFixedTermWarning.Instance)
{
    public override ContractAction Action => ContractAction.Register;

    protected override ActionContext Describe(TxContext tx, RegisterPayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options) =>
        OnNew(tx, payload, current, state, options, payload.EmployerCreditCode, payload.WorkerPseudonym, payload.Terms);

    protected override void Apply(ActionContext context, RegisterPayload payload, IStateStore state)
    {
        var version = new ContractVersion
        {
            Number = 1,
            CreatedBy = ContractAction.Register,
            DocumentHash = payload.DocumentHash,
            DocumentFormat = payload.DocumentFormat,
            Terms = payload.Terms,
        };
        ContractStore.Put(state, new ContractRecord
        {
            ContractId = payload.ContractId,
            EmployerCreditCode = payload.EmployerCreditCode,
            WorkerPseudonym = payload.WorkerPseudonym,
            WorkerKeyId = context.Consents.WorkerKey,
            Status = ContractStatus.PendingSignature,
            EvidenceGrade = EvidenceGrade.ElectronicSignature,
            Versions = [version],
            History = [Entry(context, 1)],
        });
    }
}
