using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// The fields a change and a renewal share — both propose version <c>base_version + 1</c> with its own document and
/// terms: <c>{ contract_id = 1, base_version = 2, document_hash = 3, document_format = 4, terms = 5 }</c>.
/// One codec for both messages, named by the caller in error messages.
/// </summary>
internal readonly record struct NewVersionFields(string ContractId, uint BaseVersion, Hash32 DocumentHash, DocumentFormat DocumentFormat, ContractTerms Terms)
{
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

    public static NewVersionFields Decode(ReadOnlySpan<byte> bytes, string message)
    {
        PayloadFields.CheckSize(bytes, message);
        var r = new ProtoReader(bytes, message);
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
                    if (baseVersion == uint.MaxValue) throw r.Invalid($"{message}.base_version: no version can follow it");
                    break;
                case 3: document = r.ReadHash(); break;
                case 4: format = PayloadFields.ReadEnum<DocumentFormat>(ref r, $"{message}.document_format"); break;
                case 5: terms = ContractTerms.Decode(r.ReadLengthDelimited()); break;
                default: throw r.UnknownField(field);
            }
        }
        return new NewVersionFields(
            PayloadFields.Require(id, ref r, $"{message}.contract_id"),
            baseVersion != 0 ? baseVersion : throw r.Missing($"{message}.base_version"),
            PayloadFields.Require(document, ref r, $"{message}.document_hash"),
            PayloadFields.RequireEnum(format, ref r, $"{message}.document_format"),
            terms ?? throw r.Missing($"{message}.terms"));
    }
}
