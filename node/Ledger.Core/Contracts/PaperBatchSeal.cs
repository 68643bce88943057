using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// <c>PaperBatchSeal { root = 1, document_count = 2, manifest_digest = 3 }</c>: anchors the batch once every part is on
/// chain and they make this root. The manifest digest (SM3 of the manifest file the bureau kept) is recorded as given.
/// </summary>
public sealed record PaperBatchSeal : UploadPaperBatchPayload
{
    public required Hash32 ManifestDigest { get; init; }

    public override byte[] Encode()
    {
        var inner = new ProtoWriter(80);
        inner.WriteHash(1, Root);
        inner.WriteUInt32(2, (uint)DocumentCount);
        inner.WriteHash(3, ManifestDigest);
        var w = new ProtoWriter(inner.Length + 4);
        w.WriteLengthDelimited(2, inner.WrittenSpan);
        return w.ToArray();
    }

    internal static PaperBatchSeal DecodeSeal(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "PaperBatchSeal");
        Hash32? root = null, digest = null;
        var count = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: root = r.ReadHash(); break;
                case 2: count = ReadCount(ref r); break;
                case 3: digest = r.ReadHash(); break;
                default: throw r.UnknownField(field);
            }
        }
        var seal = new PaperBatchSeal
        {
            Root = root ?? throw r.Missing("PaperBatchSeal.root"),
            DocumentCount = count != 0 ? count : throw r.Missing("PaperBatchSeal.document_count"),
            ManifestDigest = digest ?? throw r.Missing("PaperBatchSeal.manifest_digest"),
        };
        CheckCount(seal.DocumentCount);
        return seal;
    }
}
