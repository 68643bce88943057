using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// Registers an electronic contract as version 1, pending both signatures:
/// <c>RegisterContract { contract_id = 1, document_hash = 2, document_format = 3, employer_credit_code = 4, worker_pseudonym = 5, terms = 6 }</c>.
/// The worker appears only as <c>SM3(nonce128 ‖ id-number)</c>, never by name or ID number.
/// </summary>
public sealed record RegisterPayload : IContractPayload
{
    public required string ContractId { get; init; }
    public required Hash32 DocumentHash { get; init; }
    public required DocumentFormat DocumentFormat { get; init; }
    public required string EmployerCreditCode { get; init; }
    public required Hash32 WorkerPseudonym { get; init; }
    public required ContractTerms Terms { get; init; }

    public ContractAction Action => ContractAction.Register;
    public int PayloadField => ContractPayloads.RegisterField;
    public uint StatementVersion => 1;
    public Hash32 StatementDocumentHash => DocumentHash;

    public byte[] Encode()
    {
        var w = new ProtoWriter(192);
        w.WriteString(1, ContractId);
        w.WriteHash(2, DocumentHash);
        w.WriteUInt32(3, (uint)DocumentFormat);
        w.WriteString(4, EmployerCreditCode);
        w.WriteHash(5, WorkerPseudonym);
        w.WriteLengthDelimited(6, Terms.Encode());
        return w.ToArray();
    }

    public static RegisterPayload Decode(ReadOnlySpan<byte> bytes)
    {
        PayloadFields.CheckSize(bytes, "RegisterContract");
        var r = new ProtoReader(bytes, "RegisterContract");
        string? id = null, employer = null;
        Hash32? document = null, worker = null;
        var format = DocumentFormat.Unspecified;
        ContractTerms? terms = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: id = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 2: document = r.ReadHash(); break;
                case 3: format = PayloadFields.ReadEnum<DocumentFormat>(ref r, "RegisterContract.document_format"); break;
                case 4: employer = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 5: worker = r.ReadHash(); break;
                case 6: terms = ContractTerms.Decode(r.ReadLengthDelimited()); break;
                default: throw r.UnknownField(field);
            }
        }
        return new RegisterPayload
        {
            ContractId = PayloadFields.Require(id, ref r, "RegisterContract.contract_id"),
            DocumentHash = PayloadFields.Require(document, ref r, "RegisterContract.document_hash"),
            DocumentFormat = PayloadFields.RequireEnum(format, ref r, "RegisterContract.document_format"),
            EmployerCreditCode = PayloadFields.Require(employer, ref r, "RegisterContract.employer_credit_code"),
            WorkerPseudonym = PayloadFields.Require(worker, ref r, "RegisterContract.worker_pseudonym"),
            Terms = terms ?? throw r.Missing("RegisterContract.terms"),
        };
    }
}
