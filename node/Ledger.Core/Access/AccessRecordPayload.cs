using Ledger.Core.Wire;

namespace Ledger.Core.Access;

/// <summary>
/// A reader outside a contract's parties records, before the node answers, that it reads the contract and why:
/// <c>AccessRecord { contract_id = 1, basis = 2, reference = 3, on_behalf_of = 4, grant_id = 5 }</c>, TxBody field
/// <see cref="AccessPayloads.AccessRecordField"/>. Who reads is the submitter; when is the block time. A court,
/// arbitration board or inspector states a case number or inspection reference; a third party names the worker's
/// consent grant (the grant's tx id).
/// </summary>
public sealed record AccessRecordPayload
{
    public required string ContractId { get; init; }

    public required AccessBasis Basis { get; init; }

    /// <summary>Case number or inspection reference; empty for <see cref="AccessBasis.WorkerConsent"/>.</summary>
    public string Reference { get; init; } = "";

    /// <summary>An account the submitter reads for (a clerk of the court signed in to the explorer); never a name or id number.</summary>
    public string OnBehalfOf { get; init; } = "";

    /// <summary>Tx id of the consent grant, for <see cref="AccessBasis.WorkerConsent"/>.</summary>
    public Hash32? GrantId { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(128);
        w.WriteString(1, ContractId);
        w.WriteUInt32(2, (uint)Basis);
        w.WriteString(3, Reference);
        w.WriteString(4, OnBehalfOf);
        if (GrantId is { } grant) w.WriteHash(5, grant);
        return w.ToArray();
    }

    public static AccessRecordPayload Decode(ReadOnlySpan<byte> bytes)
    {
        AccessPayloads.CheckSize(bytes, "AccessRecord");
        var r = new ProtoReader(bytes, "AccessRecord");
        string? contractId = null, reference = null, onBehalfOf = null;
        uint basis = 0;
        Hash32? grant = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: contractId = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 2: basis = r.ReadUInt32(); break;
                case 3: reference = r.ReadString(AccessPayloads.MaxTextBytes); break;
                case 4: onBehalfOf = r.ReadString(AccessPayloads.MaxTextBytes); break;
                case 5: grant = r.ReadHash(); break;
                default: throw r.UnknownField(field);
            }
        }
        if (string.IsNullOrEmpty(contractId)) throw r.Missing("AccessRecord.contract_id");
        var kind = (AccessBasis)basis;
        if (kind == AccessBasis.Unspecified || !Enum.IsDefined(kind)) throw r.Invalid($"AccessRecord.basis {basis} is not a known basis");
        if (kind == AccessBasis.WorkerConsent)
        {
            if (grant is null) throw r.Missing("AccessRecord.grant_id");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(reference)) throw r.Missing("AccessRecord.reference");
            if (grant is not null) throw r.Invalid("AccessRecord.grant_id is only for a consent read");
        }
        return new AccessRecordPayload { ContractId = contractId, Basis = kind, Reference = reference ?? "", OnBehalfOf = onBehalfOf ?? "", GrantId = grant };
    }
}
