using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// Carries the parties' signatures (Statement-scope endorsements) of one version:
/// <c>SignContract { contract_id = 1, version = 2, document_hash = 3 }</c>. The version becomes effective once
/// employer and worker have both signed it, in one tx or several.
/// </summary>
public sealed record SignPayload : IContractPayload
{
    public required string ContractId { get; init; }
    public required uint Version { get; init; }
    public required Hash32 DocumentHash { get; init; }

    public ContractAction Action => ContractAction.Sign;
    public int PayloadField => ContractPayloads.SignField;
    public uint StatementVersion => Version;
    public Hash32 StatementDocumentHash => DocumentHash;

    public byte[] Encode()
    {
        var w = new ProtoWriter(96);
        w.WriteString(1, ContractId);
        w.WriteUInt32(2, Version);
        w.WriteHash(3, DocumentHash);
        return w.ToArray();
    }

    public static SignPayload Decode(ReadOnlySpan<byte> bytes)
    {
        PayloadFields.CheckSize(bytes, "SignContract");
        var r = new ProtoReader(bytes, "SignContract");
        string? id = null;
        uint version = 0;
        Hash32? document = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: id = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 2: version = r.ReadUInt32(); break;
                case 3: document = r.ReadHash(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new SignPayload
        {
            ContractId = PayloadFields.Require(id, ref r, "SignContract.contract_id"),
            Version = version != 0 ? version : throw r.Missing("SignContract.version"),
            DocumentHash = PayloadFields.Require(document, ref r, "SignContract.document_hash"),
        };
    }
}
