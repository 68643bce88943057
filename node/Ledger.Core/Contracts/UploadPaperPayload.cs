using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// Anchors an existing paper contract, in force at once, with evidence grade "paper scan" for ever:
/// <c>UploadPaperContract { contract_id = 1, scan_hash = 2, scan_format = 3, employer_credit_code = 4, worker_pseudonym = 5,
/// terms = 6, paper_signed_on = 7, attestation_reference = 8 }</c>. The attester is the submitter (a bureau or the
/// employer); the reference points to the paper original in its archive.
/// </summary>
public sealed record UploadPaperPayload : IContractPayload
{
    public required string ContractId { get; init; }
    public required Hash32 ScanHash { get; init; }
    public required DocumentFormat ScanFormat { get; init; }
    public required string EmployerCreditCode { get; init; }
    public required Hash32 WorkerPseudonym { get; init; }
    public required ContractTerms Terms { get; init; }

    /// <summary>The day the paper was signed by both parties.</summary>
    public required ContractDate PaperSignedOn { get; init; }

    /// <summary>The attester's archive reference for the paper original, if any (never personal data).</summary>
    public string? AttestationReference { get; init; }

    public ContractAction Action => ContractAction.UploadPaper;
    public int PayloadField => ContractPayloads.UploadPaperField;
    public uint StatementVersion => 1;
    public Hash32 StatementDocumentHash => ScanHash;

    public byte[] Encode()
    {
        var w = new ProtoWriter(224);
        w.WriteString(1, ContractId);
        w.WriteHash(2, ScanHash);
        w.WriteUInt32(3, (uint)ScanFormat);
        w.WriteString(4, EmployerCreditCode);
        w.WriteHash(5, WorkerPseudonym);
        w.WriteLengthDelimited(6, Terms.Encode());
        w.WriteUInt32(7, PaperSignedOn.ToNumber());
        w.WriteString(8, AttestationReference);
        return w.ToArray();
    }

    public static UploadPaperPayload Decode(ReadOnlySpan<byte> bytes)
    {
        PayloadFields.CheckSize(bytes, "UploadPaperContract");
        var r = new ProtoReader(bytes, "UploadPaperContract");
        string? id = null, employer = null, reference = null;
        Hash32? scan = null, worker = null;
        var format = DocumentFormat.Unspecified;
        ContractTerms? terms = null;
        ContractDate? signedOn = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: id = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 2: scan = r.ReadHash(); break;
                case 3: format = PayloadFields.ReadEnum<DocumentFormat>(ref r, "UploadPaperContract.scan_format"); break;
                case 4: employer = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 5: worker = r.ReadHash(); break;
                case 6: terms = ContractTerms.Decode(r.ReadLengthDelimited()); break;
                case 7: signedOn = PayloadFields.ReadDate(ref r, "UploadPaperContract.paper_signed_on"); break;
                case 8: reference = r.ReadString(PayloadFields.MaxIdBytes); break;
                default: throw r.UnknownField(field);
            }
        }
        return new UploadPaperPayload
        {
            ContractId = PayloadFields.Require(id, ref r, "UploadPaperContract.contract_id"),
            ScanHash = PayloadFields.Require(scan, ref r, "UploadPaperContract.scan_hash"),
            ScanFormat = PayloadFields.RequireEnum(format, ref r, "UploadPaperContract.scan_format"),
            EmployerCreditCode = PayloadFields.Require(employer, ref r, "UploadPaperContract.employer_credit_code"),
            WorkerPseudonym = PayloadFields.Require(worker, ref r, "UploadPaperContract.worker_pseudonym"),
            Terms = terms ?? throw r.Missing("UploadPaperContract.terms"),
            PaperSignedOn = PayloadFields.Require(signedOn, ref r, "UploadPaperContract.paper_signed_on"),
            AttestationReference = reference,
        };
    }
}
