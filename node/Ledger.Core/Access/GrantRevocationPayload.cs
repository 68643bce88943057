using Ledger.Core.Wire;

namespace Ledger.Core.Access;

/// <summary>
/// The grantor withdraws a grant: <c>GrantRevocation { grant_id = 1 }</c>, TxBody field
/// <see cref="AccessPayloads.GrantRevocationField"/>. From its block on, the grant opens nothing.
/// </summary>
public sealed record GrantRevocationPayload
{
    public required Hash32 GrantId { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(40);
        w.WriteHash(1, GrantId);
        return w.ToArray();
    }

    public static GrantRevocationPayload Decode(ReadOnlySpan<byte> bytes)
    {
        AccessPayloads.CheckSize(bytes, "GrantRevocation");
        var r = new ProtoReader(bytes, "GrantRevocation");
        Hash32? grant = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: grant = r.ReadHash(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new GrantRevocationPayload { GrantId = grant ?? throw r.Missing("GrantRevocation.grant_id") };
    }
}
