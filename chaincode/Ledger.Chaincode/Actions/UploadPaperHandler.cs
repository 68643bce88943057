using Ledger.Chaincode.Rules;
using Ledger.Chaincode.State;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Governance;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>
/// Upload-paper: a bureau (in its jurisdiction) or the employer anchors a signed paper contract, as version 1. From
/// protocol version 4 it is in force at once only if someone other than the employer vouches for it: the named worker's
/// statement signature in the same tx (grade <see cref="EvidenceGrade.PaperScanWorkerConfirmed"/>) or a bureau's upload
/// naming the paper original's archive reference (<see cref="EvidenceGrade.PaperScanBureauAttested"/>). The employer's
/// word alone leaves it <see cref="ContractStatus.PendingConfirmation"/> (grade <see cref="EvidenceGrade.PaperScan"/>,
/// nothing in force, not yet a concluded contract for arts. 14 and 19) until a <see cref="ConfirmPaperHandler"/> tx.
/// Before version 4 every upload was in force at once as a paper scan, and an old block re-executes so.
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
        PaperDateRule.Instance,
        PaperAttestationRule.Instance),
    ConsecutiveFixedTermWarning.Instance,
    AwaitingConfirmationWarning.Instance)
{
    public override ContractAction Action => ContractAction.UploadPaper;

    protected override ActionContext Describe(TxContext tx, UploadPaperPayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options) =>
        OnNew(tx, payload, current, state, options, payload.EmployerCreditCode, payload.WorkerPseudonym, payload.Terms);

    protected override void Apply(ActionContext context, UploadPaperPayload payload, IStateStore state)
    {
        var grade = PaperAttestationRule.GradeOf(context);
        var inForce = grade != EvidenceGrade.PaperScan || context.Tx.ProtocolVersion < ProtocolVersions.V4;
        var version = new ContractVersion
        {
            Number = 1,
            CreatedBy = ContractAction.UploadPaper,
            DocumentHash = payload.ScanHash,
            DocumentFormat = payload.ScanFormat,
            Terms = payload.Terms,
            PaperSignedOn = payload.PaperSignedOn,
            WorkerSigned = grade == EvidenceGrade.PaperScanWorkerConfirmed,
        };
        var record = new ContractRecord
        {
            ContractId = payload.ContractId,
            EmployerCreditCode = payload.EmployerCreditCode,
            WorkerPseudonym = payload.WorkerPseudonym,
            WorkerKeyId = context.Consents.WorkerKey,
            Status = inForce ? ContractStatus.Effective : ContractStatus.PendingConfirmation,
            EvidenceGrade = grade,
            EffectiveVersion = inForce ? 1u : 0u,
            AttestationReference = payload.AttestationReference,
            Versions = [version],
            History = [Entry(context, 1)],
        };
        ContractStore.Put(state, record);
        if (inForce) Conclude(state, record, version);
    }
}
