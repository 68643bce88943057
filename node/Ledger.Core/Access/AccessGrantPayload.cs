using Ledger.Core.Wire;

namespace Ledger.Core.Access;

/// <summary>
/// A party opens its data to one reader: <c>AccessGrant { kind = 1, contract_id = 2, grantee = 3, purpose = 4,
/// not_after = 5 }</c>, TxBody field <see cref="AccessPayloads.AccessGrantField"/>. A worker's consent names one
/// contract (the worker of record submits it); an employer's delegation names no contract and opens every
/// contract of the employer's credit code to an integrator. The grant's tx id is the token the grantee presents;
/// the grantor may revoke it (<see cref="GrantRevocationPayload"/>).
/// </summary>
public sealed record AccessGrantPayload
{
    public required GrantKind Kind { get; init; }

    /// <summary>The contract a worker's consent opens; empty for an integrator delegation.</summary>
    public string ContractId { get; init; } = "";

    /// <summary>Certificate id (SM3 of the DER) of the reader the grant is for.</summary>
    public required Hash32 Grantee { get; init; }

    /// <summary>Why the reader may read (e.g. "employment check for a housing loan"); no names or id numbers.</summary>
    public string Purpose { get; init; } = "";

    /// <summary>Unix milliseconds after which the grant no longer opens anything.</summary>
    public required long NotAfter { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(128);
        w.WriteUInt32(1, (uint)Kind);
        w.WriteString(2, ContractId);
        w.WriteHash(3, Grantee);
        w.WriteString(4, Purpose);
        w.WriteInt64(5, NotAfter);
        return w.ToArray();
    }

    public static AccessGrantPayload Decode(ReadOnlySpan<byte> bytes)
    {
        AccessPayloads.CheckSize(bytes, "AccessGrant");
        var r = new ProtoReader(bytes, "AccessGrant");
        uint kind = 0;
        string? contractId = null, purpose = null;
        Hash32? grantee = null;
        long notAfter = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: kind = r.ReadUInt32(); break;
                case 2: contractId = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 3: grantee = r.ReadHash(); break;
                case 4: purpose = r.ReadString(AccessPayloads.MaxTextBytes); break;
                case 5: notAfter = r.ReadInt64(); break;
                default: throw r.UnknownField(field);
            }
        }
        var grantKind = (GrantKind)kind;
        if (grantKind == GrantKind.Unspecified || !Enum.IsDefined(grantKind)) throw r.Invalid($"AccessGrant.kind {kind} is not a known kind");
        if (grantKind == GrantKind.WorkerConsent && string.IsNullOrEmpty(contractId)) throw r.Missing("AccessGrant.contract_id");
        if (grantKind == GrantKind.IntegratorDelegation && !string.IsNullOrEmpty(contractId)) throw r.Invalid("AccessGrant.contract_id: a delegation covers every contract of the employer");
        if (grantKind == GrantKind.WorkerConsent && string.IsNullOrWhiteSpace(purpose)) throw r.Missing("AccessGrant.purpose");
        if (notAfter <= 0) throw r.Missing("AccessGrant.not_after");
        return new AccessGrantPayload
        {
            Kind = grantKind,
            ContractId = contractId ?? "",
            Grantee = grantee ?? throw r.Missing("AccessGrant.grantee"),
            Purpose = purpose ?? "",
            NotAfter = notAfter,
        };
    }
}
