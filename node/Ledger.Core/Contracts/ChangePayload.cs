using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// A change (变更) of the contract in force: a new document and new terms, proposed as version <c>base_version + 1</c>.
/// It references the current version, is effective once both parties sign it, and leaves the old version in history:
/// <c>ChangeContract { contract_id = 1, base_version = 2, document_hash = 3, document_format = 4, terms = 5 }</c>.
/// </summary>
public sealed record ChangePayload : IContractPayload
{
    public required string ContractId { get; init; }

    /// <summary>The version in force that this one replaces.</summary>
    public required uint BaseVersion { get; init; }

    public required Hash32 DocumentHash { get; init; }
    public required DocumentFormat DocumentFormat { get; init; }
    public required ContractTerms Terms { get; init; }

    public ContractAction Action => ContractAction.Change;
    public int PayloadField => ContractPayloads.ChangeField;
    public uint StatementVersion => BaseVersion + 1;
    public Hash32 StatementDocumentHash => DocumentHash;

    public byte[] Encode()
    {
        var w = new ProtoWriter(160);
        w.WriteString(1, ContractId);
        w.WriteUInt32(2, BaseVersion);
        w.WriteHash(3, DocumentHash);
        w.WriteUInt32(4, (uint)DocumentFormat);
        w.WriteLengthDelimited(5, Terms.Encode());
        return w.ToArray();
    }

    public static ChangePayload Decode(ReadOnlySpan<byte> bytes)
    {
        PayloadFields.CheckSize(bytes, "ChangeContract");
        var r = new ProtoReader(bytes, "ChangeContract");
        string? id = null;
        uint baseVersion = 0;
        Hash32? document = null;
        var format = DocumentFormat.Unspecified;
        ContractTerms? terms = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: id = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 2:
                    baseVersion = r.ReadUInt32();
                    if (baseVersion == uint.MaxValue) throw r.Invalid("ChangeContract.base_version: no version can follow it");
                    break;
                case 3: document = r.ReadHash(); break;
                case 4: format = PayloadFields.ReadEnum<DocumentFormat>(ref r, "ChangeContract.document_format"); break;
                case 5: terms = ContractTerms.Decode(r.ReadLengthDelimited()); break;
                default: throw r.UnknownField(field);
            }
        }
        return new ChangePayload
        {
            ContractId = PayloadFields.Require(id, ref r, "ChangeContract.contract_id"),
            BaseVersion = baseVersion != 0 ? baseVersion : throw r.Missing("ChangeContract.base_version"),
            DocumentHash = PayloadFields.Require(document, ref r, "ChangeContract.document_hash"),
            DocumentFormat = PayloadFields.RequireEnum(format, ref r, "ChangeContract.document_format"),
            Terms = terms ?? throw r.Missing("ChangeContract.terms"),
        };
    }
}
