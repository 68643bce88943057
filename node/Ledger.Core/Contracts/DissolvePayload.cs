using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// Dissolves (解除) the contract in force on a legal basis of arts. 36-41, from an effective date:
/// <c>DissolveContract { contract_id = 1, version = 2, document_hash = 3, basis = 4, effective_date = 5 }</c>.
/// Version and document hash name the version in force. Afterwards no lifecycle action is possible.
/// </summary>
public sealed record DissolvePayload : IContractPayload
{
    public required string ContractId { get; init; }
    public required uint Version { get; init; }
    public required Hash32 DocumentHash { get; init; }
    public required DissolutionBasis Basis { get; init; }
    public required ContractDate EffectiveDate { get; init; }

    public ContractAction Action => ContractAction.Dissolve;
    public int PayloadField => ContractPayloads.DissolveField;
    public uint StatementVersion => Version;
    public Hash32 StatementDocumentHash => DocumentHash;

    public byte[] Encode()
    {
        var w = new ProtoWriter(112);
        w.WriteString(1, ContractId);
        w.WriteUInt32(2, Version);
        w.WriteHash(3, DocumentHash);
        w.WriteUInt32(4, (uint)Basis);
        w.WriteUInt32(5, EffectiveDate.ToNumber());
        return w.ToArray();
    }

    public static DissolvePayload Decode(ReadOnlySpan<byte> bytes)
    {
        PayloadFields.CheckSize(bytes, "DissolveContract");
        var r = new ProtoReader(bytes, "DissolveContract");
        string? id = null;
        uint version = 0;
        Hash32? document = null;
        var basis = DissolutionBasis.Unspecified;
        ContractDate? effective = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: id = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 2: version = r.ReadUInt32(); break;
                case 3: document = r.ReadHash(); break;
                case 4: basis = PayloadFields.ReadEnum<DissolutionBasis>(ref r, "DissolveContract.basis"); break;
                case 5: effective = PayloadFields.ReadDate(ref r, "DissolveContract.effective_date"); break;
                default: throw r.UnknownField(field);
            }
        }
        return new DissolvePayload
        {
            ContractId = PayloadFields.Require(id, ref r, "DissolveContract.contract_id"),
            Version = version != 0 ? version : throw r.Missing("DissolveContract.version"),
            DocumentHash = PayloadFields.Require(document, ref r, "DissolveContract.document_hash"),
            Basis = PayloadFields.RequireEnum(basis, ref r, "DissolveContract.basis"),
            EffectiveDate = PayloadFields.Require(effective, ref r, "DissolveContract.effective_date"),
        };
    }
}
