using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// Terminates (终止) the contract in force for a reason of art. 44, from an effective date:
/// <c>TerminateContract { contract_id = 1, version = 2, document_hash = 3, reason = 4, effective_date = 5 }</c>.
/// Version and document hash name the version in force. Afterwards no lifecycle action is possible.
/// </summary>
public sealed record TerminatePayload : IContractPayload
{
    public required string ContractId { get; init; }
    public required uint Version { get; init; }
    public required Hash32 DocumentHash { get; init; }
    public required TerminationReason Reason { get; init; }
    public required ContractDate EffectiveDate { get; init; }

    public ContractAction Action => ContractAction.Terminate;
    public int PayloadField => ContractPayloads.TerminateField;
    public uint StatementVersion => Version;
    public Hash32 StatementDocumentHash => DocumentHash;

    public byte[] Encode()
    {
        var w = new ProtoWriter(112);
        w.WriteString(1, ContractId);
        w.WriteUInt32(2, Version);
        w.WriteHash(3, DocumentHash);
        w.WriteUInt32(4, (uint)Reason);
        w.WriteUInt32(5, EffectiveDate.ToNumber());
        return w.ToArray();
    }

    public static TerminatePayload Decode(ReadOnlySpan<byte> bytes)
    {
        PayloadFields.CheckSize(bytes, "TerminateContract");
        var r = new ProtoReader(bytes, "TerminateContract");
        string? id = null;
        uint version = 0;
        Hash32? document = null;
        var reason = TerminationReason.Unspecified;
        ContractDate? effective = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: id = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 2: version = r.ReadUInt32(); break;
                case 3: document = r.ReadHash(); break;
                case 4: reason = PayloadFields.ReadEnum<TerminationReason>(ref r, "TerminateContract.reason"); break;
                case 5: effective = PayloadFields.ReadDate(ref r, "TerminateContract.effective_date"); break;
                default: throw r.UnknownField(field);
            }
        }
        return new TerminatePayload
        {
            ContractId = PayloadFields.Require(id, ref r, "TerminateContract.contract_id"),
            Version = version != 0 ? version : throw r.Missing("TerminateContract.version"),
            DocumentHash = PayloadFields.Require(document, ref r, "TerminateContract.document_hash"),
            Reason = PayloadFields.RequireEnum(reason, ref r, "TerminateContract.reason"),
            EffectiveDate = PayloadFields.Require(effective, ref r, "TerminateContract.effective_date"),
        };
    }
}
