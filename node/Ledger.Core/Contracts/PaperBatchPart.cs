using System.Globalization;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// <c>PaperBatchPart { root = 1, document_count = 2, index = 3, repeated leaves = 4 }</c>: leaves
/// <c>index × 1024 ..</c> of the batch, exactly <see cref="UploadPaperBatchPayload.PartLength"/> of them, no document twice.
/// </summary>
public sealed record PaperBatchPart : UploadPaperBatchPayload
{
    public required int Index { get; init; }
    public required IReadOnlyList<PaperBatchLeaf> Leaves { get; init; }

    /// <summary>The position in the batch of this part's first leaf.</summary>
    public int FirstLeaf => Index * PartSize;

    public override byte[] Encode()
    {
        var inner = new ProtoWriter(64 + Leaves.Count * 110);
        inner.WriteHash(1, Root);
        inner.WriteUInt32(2, (uint)DocumentCount);
        inner.WriteUInt32(3, (uint)Index);
        var leaf = new ProtoWriter(128);
        foreach (var l in Leaves)
        {
            leaf = new ProtoWriter(128);
            l.WriteTo(leaf);
            inner.WriteLengthDelimited(4, leaf.WrittenSpan);
        }
        var w = new ProtoWriter(inner.Length + 8);
        w.WriteLengthDelimited(1, inner.WrittenSpan);
        return w.ToArray();
    }

    internal static PaperBatchPart DecodePart(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "PaperBatchPart", 4);
        Hash32? root = null;
        int count = 0, index = 0;
        var leaves = new List<PaperBatchLeaf>();
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: root = r.ReadHash(); break;
                case 2: count = ReadCount(ref r); break;
                case 3: index = (int)Math.Min(r.ReadUInt32(), int.MaxValue); break;
                case 4:
                    if (leaves.Count == PartSize) throw new LedgerException(ErrorCode.InvalidPaperBatch, string.Create(CultureInfo.InvariantCulture, $"a part holds at most {PartSize} leaves"));
                    leaves.Add(PaperBatchLeaf.Decode(r.ReadLengthDelimited()));
                    break;
                default: throw r.UnknownField(field);
            }
        }
        var part = new PaperBatchPart
        {
            Root = root ?? throw r.Missing("PaperBatchPart.root"),
            DocumentCount = count != 0 ? count : throw r.Missing("PaperBatchPart.document_count"),
            Index = index,
            Leaves = leaves,
        };
        part.Check();
        return part;
    }

    /// <summary>What a part alone can show: its place in the batch, its size, well-formed and distinct leaves.</summary>
    public void Check()
    {
        CheckCount(DocumentCount);
        var parts = PartCount(DocumentCount);
        if (Index < 0 || Index >= parts)
            throw new LedgerException(ErrorCode.InvalidPaperBatch, string.Create(CultureInfo.InvariantCulture, $"part {Index} of a batch of {parts} parts"));
        var expected = PartLength(DocumentCount, Index);
        if (Leaves.Count != expected)
            throw new LedgerException(ErrorCode.InvalidPaperBatch, string.Create(CultureInfo.InvariantCulture, $"part {Index} holds {Leaves.Count} leaves, a batch of {DocumentCount} puts {expected} in it"));
        var seen = new HashSet<Hash32>();
        foreach (var leaf in Leaves)
        {
            PaperBatchLeaf.Check(leaf.ContractId, leaf.Grade);
            if (!seen.Add(leaf.DocumentHash))
                throw new LedgerException(ErrorCode.InvalidPaperBatch, $"document {leaf.DocumentHash} is twice in part {Index}");
        }
    }
}
