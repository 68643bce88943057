using Ledger.Chaincode.Rules;
using Ledger.Chaincode.State;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>
/// Confirm-paper (protocol version 4 on): an employer's paper upload awaiting confirmation comes into force when the
/// worker it names signs its statement with their own Worker certificate (grade
/// <see cref="EvidenceGrade.PaperScanWorkerConfirmed"/>) or a bureau of the place of work attests it, naming the paper
/// original's archive reference (<see cref="EvidenceGrade.PaperScanBureauAttested"/>). Only now is it a concluded
/// contract for arts. 14 and 19, so the single-probation rule is checked again against what the pair concluded since
/// the upload, and a third fixed term is warned.
/// </summary>
public sealed class ConfirmPaperHandler() : ActionHandler<ConfirmPaperPayload>(
    new CompositeContractRule(
        PayloadActiveRule.Instance,
        ContractIdRule.Instance,
        LifecycleRule.Instance,
        NamedVersionRule.Instance,
        NamedDocumentRule.Instance,
        new SubmitterRoleRule(Role.Worker, Role.Employer, Role.Integrator, Role.Bureau),
        EmployerOfRecordRule.Instance,
        BureauJurisdictionRule.Instance,
        StatementSignersRule.Instance,
        SingleWorkerKeyRule.Instance,
        NamedWorkerRule.Instance,
        PaperAttestationRule.Instance,
        SingleProbationRule.Instance),
    ConsecutiveFixedTermWarning.Instance)
{
    public override ContractAction Action => ContractAction.ConfirmPaper;

    protected override ActionContext Describe(TxContext tx, ConfirmPaperPayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options) =>
        OnExisting(tx, payload, current, state, options, current?.Latest, payload.StatementVersion, payload.ScanHash, current?.Latest.Terms);

    protected override void Apply(ActionContext context, ConfirmPaperPayload payload, IStateStore state)
    {
        var record = context.Current!;
        var grade = PaperAttestationRule.GradeOf(context);
        var version = record.Latest with { WorkerSigned = record.Latest.WorkerSigned || grade == EvidenceGrade.PaperScanWorkerConfirmed };
        var updated = record with
        {
            Status = ContractStatus.Effective,
            EffectiveVersion = version.Number,
            EvidenceGrade = grade,
            WorkerKeyId = record.WorkerKeyId ?? context.Consents.WorkerKey,
            AttestationReference = PaperAttestationRule.IsBlank(payload.AttestationReference) ? record.AttestationReference : payload.AttestationReference,
            Versions = [version],
            History = Append(record.History, Entry(context, version.Number)),
        };
        ContractStore.Put(state, updated);
        Conclude(state, updated, version);
    }
}
