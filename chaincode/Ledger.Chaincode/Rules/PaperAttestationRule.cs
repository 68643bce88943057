using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Governance;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// Who vouches for a paper contract (protocol version 4 on). A bureau that uploads or confirms one attests it against
/// the paper original, so it names the original's archive reference (<see cref="ErrorCode.AttestationReferenceRequired"/>).
/// A confirmation is the named worker's statement signature (whose pseudonym <see cref="NamedWorkerRule"/> checked) or a
/// bureau's attestation; from anyone else — the employer again — it is <see cref="ErrorCode.MissingWorkerSignature"/>.
/// An archive reference is a bureau's: a confirmation naming one that no bureau submits is refused.
/// </summary>
public sealed class PaperAttestationRule : IContractRule
{
    public static readonly PaperAttestationRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.Tx.ProtocolVersion < ProtocolVersions.V4) return ValidationResult.Valid;
        var bureau = context.Submitter.Role == Role.Bureau;
        switch (context.Payload)
        {
            case UploadPaperPayload upload when bureau && IsBlank(upload.AttestationReference):
                return ValidationResult.Fail(ErrorCode.AttestationReferenceRequired, "a bureau uploading a paper contract attests it: name the archive reference of the paper original");
            case ConfirmPaperPayload confirm when !bureau && !IsBlank(confirm.AttestationReference):
                return ValidationResult.Fail(ErrorCode.InvalidFieldValue, $"an archive reference attests a paper original, which only a bureau does; a {context.Submitter.Role} may not name one");
            case ConfirmPaperPayload when context.Consents.HasWorker:
                return ValidationResult.Valid;
            case ConfirmPaperPayload confirm when bureau:
                return IsBlank(confirm.AttestationReference)
                    ? ValidationResult.Fail(ErrorCode.AttestationReferenceRequired, "a bureau attesting a paper contract names the archive reference of the paper original")
                    : ValidationResult.Valid;
            case ConfirmPaperPayload:
                return ValidationResult.Fail(ErrorCode.MissingWorkerSignature, $"paper contract {context.Payload.ContractId} is confirmed by its worker's statement signature or attested by a bureau");
            default:
                return ValidationResult.Valid;
        }
    }

    public static bool IsBlank(string? reference) => string.IsNullOrWhiteSpace(reference);

    /// <summary>What a paper contract becomes with this tx's vouching: the worker's own signature first, else a bureau's attestation, else nobody's.</summary>
    public static EvidenceGrade GradeOf(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Tx.ProtocolVersion < ProtocolVersions.V4) return EvidenceGrade.PaperScan;
        if (context.Consents.HasWorker) return EvidenceGrade.PaperScanWorkerConfirmed;
        return context.Submitter.Role == Role.Bureau ? EvidenceGrade.PaperScanBureauAttested : EvidenceGrade.PaperScan;
    }
}
