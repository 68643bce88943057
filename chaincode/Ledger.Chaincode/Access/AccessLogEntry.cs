using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Core.Identity;
using Ledger.Core.Wire;

namespace Ledger.Chaincode.Access;

/// <summary>
/// One committed access to a contract, as its worker lists it: <c>{ tx_id = 1, contract_id = 2, accessor = 3,
/// accessor_role = 4, accessor_name = 5, basis = 6, reference = 7, on_behalf_of = 8, grant_id = 9, height = 10,
/// block_time = 11 }</c>, stored under <see cref="State.StateKeys.AccessLog(Hash32, ulong)"/>.
/// </summary>
public sealed record AccessLogEntry
{
    public required Hash32 TxId { get; init; }
    public required string ContractId { get; init; }

    /// <summary>Certificate id of the reader.</summary>
    public required Hash32 Accessor { get; init; }

    public required Role AccessorRole { get; init; }

    /// <summary>The reader's certificate common name: an institution (a court, a bank), never a person.</summary>
    public string AccessorName { get; init; } = "";

    public required AccessBasis Basis { get; init; }
    public string Reference { get; init; } = "";
    public string OnBehalfOf { get; init; } = "";
    public Hash32? GrantId { get; init; }
    public required ulong Height { get; init; }
    public required long BlockTime { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(256);
        w.WriteHash(1, TxId);
        w.WriteString(2, ContractId);
        w.WriteHash(3, Accessor);
        w.WriteUInt32(4, (uint)AccessorRole);
        w.WriteString(5, AccessorName);
        w.WriteUInt32(6, (uint)Basis);
        w.WriteString(7, Reference);
        w.WriteString(8, OnBehalfOf);
        if (GrantId is { } grant) w.WriteHash(9, grant);
        w.WriteUInt64(10, Height);
        w.WriteInt64(11, BlockTime);
        return w.ToArray();
    }

    public static AccessLogEntry Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "AccessLogEntry");
        Hash32? tx = null, accessor = null, grant = null;
        string? contract = null, name = null, reference = null, behalf = null;
        uint role = 0, basis = 0;
        ulong height = 0;
        long time = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: tx = r.ReadHash(); break;
                case 2: contract = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 3: accessor = r.ReadHash(); break;
                case 4: role = r.ReadUInt32(); break;
                case 5: name = r.ReadString(AccessPayloads.MaxTextBytes); break;
                case 6: basis = r.ReadUInt32(); break;
                case 7: reference = r.ReadString(AccessPayloads.MaxTextBytes); break;
                case 8: behalf = r.ReadString(AccessPayloads.MaxTextBytes); break;
                case 9: grant = r.ReadHash(); break;
                case 10: height = r.ReadUInt64(); break;
                case 11: time = r.ReadInt64(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new AccessLogEntry
        {
            TxId = tx ?? throw r.Missing("AccessLogEntry.tx_id"),
            ContractId = contract ?? throw r.Missing("AccessLogEntry.contract_id"),
            Accessor = accessor ?? throw r.Missing("AccessLogEntry.accessor"),
            AccessorRole = (Role)role,
            AccessorName = name ?? "",
            Basis = (AccessBasis)basis,
            Reference = reference ?? "",
            OnBehalfOf = behalf ?? "",
            GrantId = grant,
            Height = height,
            BlockTime = time,
        };
    }
}
