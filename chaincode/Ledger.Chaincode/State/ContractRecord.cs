using System.Globalization;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Wire;

namespace Ledger.Chaincode.State;

/// <summary>
/// A contract as the chain holds it, with every version and every accepted action:
/// <c>ContractRecord { contract_id = 1, employer_credit_code = 2, worker_pseudonym = 3, status = 4, evidence_grade = 5,
/// worker_key_id = 6, effective_version = 7, closed_on = 8, closure_detail = 9, attestation_reference = 10,
/// repeated versions = 14, repeated history = 15 }</c>. Versions are numbered 1..n in order; the history holds one
/// entry per accepted tx.
/// </summary>
public sealed record ContractRecord
{
    public required string ContractId { get; init; }
    public required string EmployerCreditCode { get; init; }

    /// <summary>SM3(nonce128 ‖ id-number) of the worker; never the person.</summary>
    public required Hash32 WorkerPseudonym { get; init; }

    public required ContractStatus Status { get; init; }

    /// <summary>Set at creation; no later action changes it.</summary>
    public required EvidenceGrade EvidenceGrade { get; init; }

    /// <summary>The key behind the worker's first signature; every later worker signature must come from it.</summary>
    public Hash32? WorkerKeyId { get; init; }

    /// <summary>The version in force, 0 while none is.</summary>
    public uint EffectiveVersion { get; init; }

    /// <summary>Effective date of the dissolution or termination.</summary>
    public ContractDate? ClosedOn { get; init; }

    /// <summary>The <see cref="DissolutionBasis"/> or <see cref="TerminationReason"/> of the closure.</summary>
    public uint ClosureDetail { get; init; }

    public string? AttestationReference { get; init; }

    public required IReadOnlyList<ContractVersion> Versions { get; init; }

    public required IReadOnlyList<HistoryEntry> History { get; init; }

    public ContractVersion Latest => Versions[^1];

    public ContractVersion? InForce => EffectiveVersion == 0 ? null : Versions[(int)EffectiveVersion - 1];

    public bool IsClosed => Status is ContractStatus.Dissolved or ContractStatus.Terminated;

    public ContractVersion Version(uint number) => Versions[(int)number - 1];

    public byte[] Encode()
    {
        var w = new ProtoWriter(512 + 224 * History.Count + 160 * Versions.Count);
        w.WriteString(1, ContractId);
        w.WriteString(2, EmployerCreditCode);
        w.WriteHash(3, WorkerPseudonym);
        w.WriteUInt32(4, (uint)Status);
        w.WriteUInt32(5, (uint)EvidenceGrade);
        if (WorkerKeyId is { } key) w.WriteHash(6, key);
        w.WriteUInt32(7, EffectiveVersion);
        w.WriteUInt32(8, ClosedOn?.ToNumber() ?? 0);
        w.WriteUInt32(9, ClosureDetail);
        w.WriteString(10, AttestationReference);
        foreach (var v in Versions) w.WriteLengthDelimited(14, v.Encode());
        foreach (var h in History) w.WriteLengthDelimited(15, h.Encode());
        return w.ToArray();
    }

    public static ContractRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "ContractRecord", 14, 15);
        string? id = null, employer = null, reference = null;
        Hash32? commitment = null, workerKey = null;
        var status = ContractStatus.Unspecified;
        var grade = EvidenceGrade.Unspecified;
        uint effective = 0, closureDetail = 0;
        ContractDate? closedOn = null;
        var versions = new List<ContractVersion>();
        var history = new List<HistoryEntry>();
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: id = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 2: employer = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 3: commitment = r.ReadHash(); break;
                case 4: status = StateFields.ReadEnum<ContractStatus>(ref r, "ContractRecord.status"); break;
                case 5: grade = StateFields.ReadEnum<EvidenceGrade>(ref r, "ContractRecord.evidence_grade"); break;
                case 6: workerKey = r.ReadHash(); break;
                case 7: effective = r.ReadUInt32(); break;
                case 8: closedOn = StateFields.ReadDate(ref r, "ContractRecord.closed_on"); break;
                case 9: closureDetail = r.ReadUInt32(); break;
                case 10: reference = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 14:
                    var version = ContractVersion.Decode(r.ReadLengthDelimited());
                    if (version.Number != versions.Count + 1) throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"ContractRecord: version {version.Number} at position {versions.Count + 1}"));
                    versions.Add(version);
                    break;
                case 15: history.Add(HistoryEntry.Decode(r.ReadLengthDelimited())); break;
                default: throw r.UnknownField(field);
            }
        }
        if (versions.Count == 0) throw r.Missing("ContractRecord.versions");
        if (effective > versions.Count) throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"ContractRecord: effective version {effective} of {versions.Count}"));
        return new ContractRecord
        {
            ContractId = id ?? throw r.Missing("ContractRecord.contract_id"),
            EmployerCreditCode = employer ?? throw r.Missing("ContractRecord.employer_credit_code"),
            WorkerPseudonym = commitment ?? throw r.Missing("ContractRecord.worker_pseudonym"),
            Status = status != ContractStatus.Unspecified ? status : throw r.Missing("ContractRecord.status"),
            EvidenceGrade = grade != EvidenceGrade.Unspecified ? grade : throw r.Missing("ContractRecord.evidence_grade"),
            WorkerKeyId = workerKey,
            EffectiveVersion = effective,
            ClosedOn = closedOn,
            ClosureDetail = closureDetail,
            AttestationReference = reference,
            Versions = versions,
            History = history,
        };
    }
}
