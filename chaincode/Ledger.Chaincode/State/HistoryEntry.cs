using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Chaincode.State;

/// <summary>
/// One accepted action on a contract:
/// <c>HistoryEntry { action = 1, version = 2, tx_id = 3, height = 4, block_time = 5, submitter_key_id = 6, submitter_role = 7,
/// submitter_certificate_id = 8, employer_signer = 9, worker_signer = 10, detail = 11, effective_date = 12 }</c>.
/// <see cref="Detail"/> is the dissolution basis or termination reason; the signers are the key ids of the
/// parties' statement signatures carried by the tx.
/// </summary>
public sealed record HistoryEntry
{
    public required ContractAction Action { get; init; }
    public required uint Version { get; init; }
    public required Hash32 TxId { get; init; }
    public required ulong Height { get; init; }

    /// <summary>Block time, unix milliseconds.</summary>
    public required long BlockTime { get; init; }

    public required Hash32 SubmitterKeyId { get; init; }
    public required Role SubmitterRole { get; init; }
    public Hash32? SubmitterCertificateId { get; init; }
    public Hash32? EmployerSigner { get; init; }
    public Hash32? WorkerSigner { get; init; }
    public uint Detail { get; init; }

    /// <summary>yyyymmdd effective date of a dissolution or termination, 0 otherwise.</summary>
    public uint EffectiveDate { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(224);
        w.WriteUInt32(1, (uint)Action);
        w.WriteUInt32(2, Version);
        w.WriteHash(3, TxId);
        w.WriteUInt64(4, Height);
        w.WriteInt64(5, BlockTime);
        w.WriteHash(6, SubmitterKeyId);
        w.WriteUInt32(7, (uint)SubmitterRole);
        if (SubmitterCertificateId is { } cert) w.WriteHash(8, cert);
        if (EmployerSigner is { } employer) w.WriteHash(9, employer);
        if (WorkerSigner is { } worker) w.WriteHash(10, worker);
        w.WriteUInt32(11, Detail);
        w.WriteUInt32(12, EffectiveDate);
        return w.ToArray();
    }

    public static HistoryEntry Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "HistoryEntry");
        var action = ContractAction.Unspecified;
        uint version = 0, detail = 0, effective = 0;
        Hash32? txId = null, submitterKey = null, certificate = null, employer = null, worker = null;
        ulong height = 0;
        long blockTime = 0;
        var role = Role.Unknown;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: action = StateFields.ReadEnum<ContractAction>(ref r, "HistoryEntry.action"); break;
                case 2: version = r.ReadUInt32(); break;
                case 3: txId = r.ReadHash(); break;
                case 4: height = r.ReadUInt64(); break;
                case 5: blockTime = r.ReadInt64(); break;
                case 6: submitterKey = r.ReadHash(); break;
                case 7: role = StateFields.ReadEnum<Role>(ref r, "HistoryEntry.submitter_role"); break;
                case 8: certificate = r.ReadHash(); break;
                case 9: employer = r.ReadHash(); break;
                case 10: worker = r.ReadHash(); break;
                case 11: detail = r.ReadUInt32(); break;
                case 12: effective = r.ReadUInt32(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new HistoryEntry
        {
            Action = action != ContractAction.Unspecified ? action : throw r.Missing("HistoryEntry.action"),
            Version = version != 0 ? version : throw r.Missing("HistoryEntry.version"),
            TxId = txId ?? throw r.Missing("HistoryEntry.tx_id"),
            Height = height,
            BlockTime = blockTime,
            SubmitterKeyId = submitterKey ?? throw r.Missing("HistoryEntry.submitter_key_id"),
            SubmitterRole = role,
            SubmitterCertificateId = certificate,
            EmployerSigner = employer,
            WorkerSigner = worker,
            Detail = detail,
            EffectiveDate = effective,
        };
    }
}
