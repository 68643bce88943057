using Ledger.Chaincode.Rules;
using Ledger.Chaincode.State;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>
/// Upload-paper: a bureau (in its jurisdiction) or the employer anchors a signed paper contract. It is in force
/// at once, as version 1, and its evidence grade is "paper scan" for ever; the submitter is the attester.
/// </summary>
public sealed class UploadPaperHandler() : ActionHandler<UploadPaperPayload>(
    new CompositeContractRule(
        ContractIdRule.Instance,
        LifecycleRule.Instance,
        EmployerCreditCodeRule.Instance,
        PlaceOfWorkRule.Instance,
        IndustryCodeRule.Instance,
        ModelTextIdRule.Instance,
        new SubmitterRoleRule(Role.Employer, Role.Bureau),
        EmployerOfRecordRule.Instance,
        BureauJurisdictionRule.Instance,
        StatementSignersRule.Instance,
        SingleWorkerKeyRule.Instance,
        NamedWorkerRule.Instance,
        EndDateMatchesTypeRule.Instance,
        EndNotBeforeStartRule.Instance,
        ProbationWithinTermRule.Instance,
        ProbationLimitRule.Instance,
        SingleProbationRule.Instance,
        PaperDateRule.Instance),
    ConsecutiveFixedTermWarning.Instance)
{
    public override ContractAction Action => ContractAction.UploadPaper;

    protected override ActionContext Describe(TxContext tx, UploadPaperPayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options) =>
        OnNew(tx, payload, current, state, options, payload.EmployerCreditCode, payload.WorkerPseudonym, payload.Terms);

    protected override void Apply(ActionContext context, UploadPaperPayload payload, IStateStore state)
    {
        var version = new ContractVersion
        {
            Number = 1,
            CreatedBy = ContractAction.UploadPaper,
            DocumentHash = payload.ScanHash,
            DocumentFormat = payload.ScanFormat,
            Terms = payload.Terms,
            PaperSignedOn = payload.PaperSignedOn,
        };
        var record = new ContractRecord
        {
            ContractId = payload.ContractId,
            EmployerCreditCode = payload.EmployerCreditCode,
            WorkerPseudonym = payload.WorkerPseudonym,
            WorkerKeyId = context.Consents.WorkerKey,
            Status = ContractStatus.Effective,
            EvidenceGrade = EvidenceGrade.PaperScan,
            EffectiveVersion = 1,
            AttestationReference = payload.AttestationReference,
            Versions = [version],
            History = [Entry(context, 1)],
        };
        ContractStore.Put(state, record);
        Conclude(state, record, version);
    }
}
