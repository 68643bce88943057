using Ledger.Core;
using Ledger.Core.Wire;

namespace Ledger.Chaincode.Audit;

/// <summary>
/// The latest audit-log head a signer anchored: <c>{ sequence = 1, head_hash = 2, height = 3, block_time = 4 }</c>,
/// stored under <see cref="State.StateKeys.AuditAnchor(Hash32)"/>.
/// </summary>
public sealed record AuditAnchorRecord(ulong Sequence, Hash32 HeadHash, ulong Height, long BlockTime)
{
    public byte[] Encode()
    {
        var w = new ProtoWriter(64);
        w.WriteUInt64(1, Sequence);
        w.WriteHash(2, HeadHash);
        w.WriteUInt64(3, Height);
        w.WriteInt64(4, BlockTime);
        return w.ToArray();
    }

    public static AuditAnchorRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "AuditAnchorRecord");
        ulong sequence = 0, height = 0;
        long time = 0;
        Hash32? head = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: sequence = r.ReadUInt64(); break;
                case 2: head = r.ReadHash(); break;
                case 3: height = r.ReadUInt64(); break;
                case 4: time = r.ReadInt64(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new AuditAnchorRecord(sequence, head ?? throw r.Missing("AuditAnchorRecord.head_hash"), height, time);
    }
}
