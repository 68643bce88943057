using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// The fields a dissolution and a termination share — the version in force, its document, a legal ground and an
/// effective date: <c>{ contract_id = 1, version = 2, document_hash = 3, ground = 4, effective_date = 5, proposed_by = 6 }</c>
/// (<c>proposed_by</c>, a <see cref="Proposer"/>, only in a dissolution).
/// </summary>
internal readonly record struct ClosureFields<TGround>(string ContractId, uint Version, Hash32 DocumentHash, TGround Ground, ContractDate EffectiveDate, Proposer ProposedBy = Proposer.Unspecified)
    where TGround : struct, Enum
{
    public byte[] Encode()
    {
        var w = new ProtoWriter(112);
        w.WriteString(1, ContractId);
        w.WriteUInt32(2, Version);
        w.WriteHash(3, DocumentHash);
        w.WriteUInt32(4, Convert.ToUInt32(Ground, System.Globalization.CultureInfo.InvariantCulture));
        w.WriteUInt32(5, EffectiveDate.ToNumber());
        w.WriteUInt32(6, (uint)ProposedBy);
        return w.ToArray();
    }

    /// <param name="groundField">The ground's field name in error messages (basis, reason).</param>
    public static ClosureFields<TGround> Decode(ReadOnlySpan<byte> bytes, string message, string groundField)
    {
        PayloadFields.CheckSize(bytes, message);
        var r = new ProtoReader(bytes, message);
        string? id = null;
        uint version = 0;
        Hash32? document = null;
        TGround ground = default;
        ContractDate? effective = null;
        var proposer = Proposer.Unspecified;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: id = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 2: version = r.ReadUInt32(); break;
                case 3: document = r.ReadHash(); break;
                case 4: ground = PayloadFields.ReadEnum<TGround>(ref r, $"{message}.{groundField}"); break;
                case 5: effective = PayloadFields.ReadDate(ref r, $"{message}.effective_date"); break;
                case 6: proposer = PayloadFields.ReadEnum<Proposer>(ref r, $"{message}.proposed_by"); break;
                default: throw r.UnknownField(field);
            }
        }
        return new ClosureFields<TGround>(
            PayloadFields.Require(id, ref r, $"{message}.contract_id"),
            version != 0 ? version : throw r.Missing($"{message}.version"),
            PayloadFields.Require(document, ref r, $"{message}.document_hash"),
            PayloadFields.RequireEnum(ground, ref r, $"{message}.{groundField}"),
            PayloadFields.Require(effective, ref r, $"{message}.effective_date"),
            proposer);
    }
}
