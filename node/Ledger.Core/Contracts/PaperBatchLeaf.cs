using System.Globalization;
using System.Text;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// One document of a paper batch: <c>PaperBatchLeaf { document_hash = 1, contract_id = 2, grade = 3 }</c>. Its Merkle
/// leaf data (<see cref="LeafData"/>) binds all three, domain-separated from every other tree of the chain.
/// </summary>
public sealed record PaperBatchLeaf(Hash32 DocumentHash, string ContractId, EvidenceGrade Grade)
{
    /// <summary>Batch leaves name contracts in at most this many UTF-8 bytes, so a full part fits in one tx.</summary>
    public const int MaxContractIdBytes = 64;

    /// <summary>The prefix of every leaf's data: no envelope, receipt or state entry begins so.</summary>
    public static ReadOnlySpan<byte> LeafTag => "ledger/paper-batch-leaf/v1\n"u8;

    /// <summary>
    /// <c>"ledger/paper-batch-leaf/v1\n" ‖ document_hash (32) ‖ grade (1 byte) ‖ UTF-8(contract_id)</c>: the contract id
    /// last, so the fixed-size fields before it make the encoding unambiguous. The Merkle leaf hash is SM3(0x00 ‖ this).
    /// </summary>
    public byte[] LeafData()
    {
        var tag = LeafTag;
        var id = Encoding.UTF8.GetBytes(ContractId);
        var data = new byte[tag.Length + Hash32.Size + 1 + id.Length];
        tag.CopyTo(data);
        DocumentHash.CopyTo(data.AsSpan(tag.Length));
        data[tag.Length + Hash32.Size] = (byte)Grade;
        id.CopyTo(data.AsSpan(tag.Length + Hash32.Size + 1));
        return data;
    }

    public void WriteTo(ProtoWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteHash(1, DocumentHash);
        w.WriteString(2, ContractId);
        w.WriteUInt32(3, (uint)Grade);
    }

    public static PaperBatchLeaf Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "PaperBatchLeaf");
        Hash32? document = null;
        string? id = null;
        var grade = EvidenceGrade.Unspecified;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: document = r.ReadHash(); break;
                case 2: id = r.ReadString(MaxContractIdBytes); break;
                case 3: grade = PayloadFields.ReadEnum<EvidenceGrade>(ref r, "PaperBatchLeaf.grade"); break;
                default: throw r.UnknownField(field);
            }
        }
        return new PaperBatchLeaf(
            document ?? throw r.Missing("PaperBatchLeaf.document_hash"),
            id ?? throw r.Missing("PaperBatchLeaf.contract_id"),
            PayloadFields.RequireEnum(grade, ref r, "PaperBatchLeaf.grade"));
    }

    /// <summary>The checks a leaf must pass wherever it comes from (a manifest, a proof): a contract id and a grade.</summary>
    public static void Check(string contractId, EvidenceGrade grade)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        if (contractId.Length == 0 || Encoding.UTF8.GetByteCount(contractId) > MaxContractIdBytes)
            throw new LedgerException(ErrorCode.InvalidPaperBatch, string.Create(CultureInfo.InvariantCulture, $"a batch leaf's contract id is 1..{MaxContractIdBytes} UTF-8 bytes"));
        if (contractId.Any(char.IsControl))
            throw new LedgerException(ErrorCode.InvalidPaperBatch, "a batch leaf's contract id has a control character");
        if (grade is not (EvidenceGrade.ElectronicSignature or EvidenceGrade.PaperScan))
            throw new LedgerException(ErrorCode.InvalidPaperBatch, string.Create(CultureInfo.InvariantCulture, $"evidence grade {(int)grade} is not 1 (electronic signature) or 2 (paper scan)"));
    }
}
