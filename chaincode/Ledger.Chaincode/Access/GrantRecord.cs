using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Core.Wire;

namespace Ledger.Chaincode.Access;

/// <summary>
/// A committed grant, stored under <see cref="State.StateKeys.Grant(Hash32)"/>: <c>{ kind = 1, grantor = 2,
/// employer_credit_code = 3, contract_id = 4, grantee = 5, purpose = 6, not_after = 7, height = 8, block_time = 9,
/// revoked_at = 10 }</c>. <see cref="RevokedAt"/> is the block time of the revocation, 0 while the grant stands.
/// </summary>
public sealed record GrantRecord
{
    public required GrantKind Kind { get; init; }

    /// <summary>Key id of the signer who granted it (only they may revoke it).</summary>
    public required Hash32 Grantor { get; init; }

    public string EmployerCreditCode { get; init; } = "";

    public string ContractId { get; init; } = "";

    public required Hash32 Grantee { get; init; }

    public string Purpose { get; init; } = "";

    public required long NotAfter { get; init; }

    public required ulong Height { get; init; }

    public required long BlockTime { get; init; }

    public long RevokedAt { get; init; }

    /// <summary>Whether the grant opens anything at <paramref name="unixMs"/>.</summary>
    public ValidationResult StandsAt(long unixMs) =>
        RevokedAt != 0 && RevokedAt <= unixMs ? ValidationResult.Fail(ErrorCode.GrantRevoked, "the grant was revoked by its grantor")
        : NotAfter <= unixMs ? ValidationResult.Fail(ErrorCode.GrantExpired, $"the grant expired at {DateTimeOffset.FromUnixTimeMilliseconds(NotAfter):u}")
        : ValidationResult.Valid;

    public byte[] Encode()
    {
        var w = new ProtoWriter(192);
        w.WriteUInt32(1, (uint)Kind);
        w.WriteHash(2, Grantor);
        w.WriteString(3, EmployerCreditCode);
        w.WriteString(4, ContractId);
        w.WriteHash(5, Grantee);
        w.WriteString(6, Purpose);
        w.WriteInt64(7, NotAfter);
        w.WriteUInt64(8, Height);
        w.WriteInt64(9, BlockTime);
        w.WriteInt64(10, RevokedAt);
        return w.ToArray();
    }

    public static GrantRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "GrantRecord");
        uint kind = 0;
        Hash32? grantor = null, grantee = null;
        string? credit = null, contract = null, purpose = null;
        long notAfter = 0, time = 0, revoked = 0;
        ulong height = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: kind = r.ReadUInt32(); break;
                case 2: grantor = r.ReadHash(); break;
                case 3: credit = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 4: contract = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 5: grantee = r.ReadHash(); break;
                case 6: purpose = r.ReadString(AccessPayloads.MaxTextBytes); break;
                case 7: notAfter = r.ReadInt64(); break;
                case 8: height = r.ReadUInt64(); break;
                case 9: time = r.ReadInt64(); break;
                case 10: revoked = r.ReadInt64(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new GrantRecord
        {
            Kind = (GrantKind)kind,
            Grantor = grantor ?? throw r.Missing("GrantRecord.grantor"),
            EmployerCreditCode = credit ?? "",
            ContractId = contract ?? "",
            Grantee = grantee ?? throw r.Missing("GrantRecord.grantee"),
            Purpose = purpose ?? "",
            NotAfter = notAfter,
            Height = height,
            BlockTime = time,
            RevokedAt = revoked,
        };
    }
}
