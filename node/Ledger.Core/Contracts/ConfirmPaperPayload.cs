using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// Confirms a paper contract its employer uploaded alone (<see cref="ContractStatus.PendingConfirmation"/>), from protocol
/// version 4: <c>ConfirmPaperContract { contract_id = 1, scan_hash = 2, attestation_reference = 3 }</c>. Either the worker
/// the contract names signs its statement with their Worker certificate (evidence grade
/// <see cref="EvidenceGrade.PaperScanWorkerConfirmed"/>), or a bureau of the place of work submits it with the archive
/// reference of the paper original it checked (<see cref="EvidenceGrade.PaperScanBureauAttested"/>). The scan hash names
/// the scan being confirmed, so a confirmation of another scan than the one uploaded is refused.
/// </summary>
public sealed record ConfirmPaperPayload : IContractPayload
{
    public required string ContractId { get; init; }
    public required Hash32 ScanHash { get; init; }

    /// <summary>A bureau's archive reference for the paper original it attests against (never personal data); required of a bureau attestation.</summary>
    public string? AttestationReference { get; init; }

    public ContractAction Action => ContractAction.ConfirmPaper;
    public int PayloadField => ContractPayloads.ConfirmPaperField;
    public uint StatementVersion => 1;
    public Hash32 StatementDocumentHash => ScanHash;

    public byte[] Encode()
    {
        var w = new ProtoWriter(128);
        w.WriteString(1, ContractId);
        w.WriteHash(2, ScanHash);
        w.WriteString(3, AttestationReference);
        return w.ToArray();
    }

    public static ConfirmPaperPayload Decode(ReadOnlySpan<byte> bytes)
    {
        PayloadFields.CheckSize(bytes, "ConfirmPaperContract");
        var r = new ProtoReader(bytes, "ConfirmPaperContract");
        string? id = null, reference = null;
        Hash32? scan = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: id = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 2: scan = r.ReadHash(); break;
                case 3: reference = r.ReadString(PayloadFields.MaxIdBytes); break;
                default: throw r.UnknownField(field);
            }
        }
        return new ConfirmPaperPayload
        {
            ContractId = PayloadFields.Require(id, ref r, "ConfirmPaperContract.contract_id"),
            ScanHash = PayloadFields.Require(scan, ref r, "ConfirmPaperContract.scan_hash"),
            AttestationReference = reference,
        };
    }
}
