using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// An employer's paper upload that neither the worker nor a bureau vouches for is anchored but not in force
/// (<see cref="ContractStatus.PendingConfirmation"/>): the receipt says so, so the uploader is not led to think otherwise.
/// </summary>
public sealed class AwaitingConfirmationWarning : IWarningRule
{
    public static readonly AwaitingConfirmationWarning Instance = new();

    public ErrorCode Check(ActionContext context) =>
        context.Payload is UploadPaperPayload && context.Tx.ProtocolVersion >= Core.Governance.ProtocolVersions.V4 && PaperAttestationRule.GradeOf(context) == EvidenceGrade.PaperScan
            ? ErrorCode.AwaitingConfirmation
            : ErrorCode.Ok;
}
