using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Chaincode.State;

/// <summary>
/// One version of a contract as stored:
/// <c>ContractVersion { number = 1, created_by = 2, document_hash = 3, document_format = 4, terms = 5,
/// employer_signed = 6, worker_signed = 7, paper_signed_on = 8 }</c>.
/// </summary>
public sealed record ContractVersion
{
    public required uint Number { get; init; }

    /// <summary>Register, Change, Renew or UploadPaper.</summary>
    public required ContractAction CreatedBy { get; init; }

    public required Hash32 DocumentHash { get; init; }
    public required DocumentFormat DocumentFormat { get; init; }
    public required ContractTerms Terms { get; init; }
    public bool EmployerSigned { get; init; }
    public bool WorkerSigned { get; init; }

    /// <summary>For an uploaded paper contract: the day the paper was signed (its signatures are not on chain).</summary>
    public ContractDate? PaperSignedOn { get; init; }

    /// <summary>Signed by both on chain, or a paper contract (in force unless its record awaits confirmation: see <see cref="ContractRecord.Status"/>).</summary>
    public bool IsConcluded => (EmployerSigned && WorkerSigned) || CreatedBy == ContractAction.UploadPaper;

    public byte[] Encode()
    {
        var w = new ProtoWriter(160);
        w.WriteUInt32(1, Number);
        w.WriteUInt32(2, (uint)CreatedBy);
        w.WriteHash(3, DocumentHash);
        w.WriteUInt32(4, (uint)DocumentFormat);
        w.WriteLengthDelimited(5, Terms.Encode());
        w.WriteBool(6, EmployerSigned);
        w.WriteBool(7, WorkerSigned);
        w.WriteUInt32(8, PaperSignedOn?.ToNumber() ?? 0);
        return w.ToArray();
    }

    public static ContractVersion Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "ContractVersion");
        uint number = 0;
        var createdBy = ContractAction.Unspecified;
        Hash32? document = null;
        var format = DocumentFormat.Unspecified;
        ContractTerms? terms = null;
        bool employerSigned = false, workerSigned = false;
        ContractDate? paperSignedOn = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: number = r.ReadUInt32(); break;
                case 2: createdBy = StateFields.ReadEnum<ContractAction>(ref r, "ContractVersion.created_by"); break;
                case 3: document = r.ReadHash(); break;
                case 4: format = StateFields.ReadEnum<DocumentFormat>(ref r, "ContractVersion.document_format"); break;
                case 5: terms = ContractTerms.Decode(r.ReadLengthDelimited()); break;
                case 6: employerSigned = r.ReadBool(); break;
                case 7: workerSigned = r.ReadBool(); break;
                case 8: paperSignedOn = StateFields.ReadDate(ref r, "ContractVersion.paper_signed_on"); break;
                default: throw r.UnknownField(field);
            }
        }
        return new ContractVersion
        {
            Number = number != 0 ? number : throw r.Missing("ContractVersion.number"),
            CreatedBy = createdBy != ContractAction.Unspecified ? createdBy : throw r.Missing("ContractVersion.created_by"),
            DocumentHash = document ?? throw r.Missing("ContractVersion.document_hash"),
            DocumentFormat = format != DocumentFormat.Unspecified ? format : throw r.Missing("ContractVersion.document_format"),
            Terms = terms ?? throw r.Missing("ContractVersion.terms"),
            EmployerSigned = employerSigned,
            WorkerSigned = workerSigned,
            PaperSignedOn = paperSignedOn,
        };
    }
}
