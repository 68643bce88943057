using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Wire;

namespace Ledger.Chaincode.PaperBatches;

/// <summary>
/// A paper batch as the chain knows it, under <see cref="State.StateKeys.PaperBatch"/>: <c>{ document_count = 1,
/// part_roots = 2 (32 bytes per part, in order; zeros for a part not yet on chain), parts_received = 3, seal_tx_id = 4,
/// sealed_height = 5, sealed_time = 6, manifest_digest = 7, part_tx_ids = 8 (32 bytes per part, like part_roots) }</c>.
/// Sealed once the seal tx id is set. The part tx ids let a node find every leaf of a sealed batch.
/// </summary>
public sealed record PaperBatchRecord(int DocumentCount, byte[] PartRoots, int PartsReceived, Hash32? SealTxId, ulong SealedHeight, long SealedTime, Hash32? ManifestDigest)
{
    public byte[] PartTxIds { get; init; } = new byte[PartRoots.Length];

    public Hash32 PartTxId(int part) => new(PartTxIds.AsSpan(part * Hash32.Size, Hash32.Size));

    public bool IsSealed => SealTxId is not null;

    public int PartCount => PartRoots.Length / Hash32.Size;

    public static PaperBatchRecord Empty(int documentCount) =>
        new(documentCount, new byte[UploadPaperBatchPayload.PartCount(documentCount) * Hash32.Size], 0, null, 0, 0, null);

    public bool HasPart(int part) => PartRoots.AsSpan(part * Hash32.Size, Hash32.Size).ContainsAnyExcept((byte)0);

    public Hash32 PartRoot(int part) => new(PartRoots.AsSpan(part * Hash32.Size, Hash32.Size));

    public IReadOnlyList<Hash32> AllPartRoots() => Enumerable.Range(0, PartCount).Select(PartRoot).ToArray();

    public byte[] Encode()
    {
        var w = new ProtoWriter(PartRoots.Length + 128);
        w.WriteUInt32(1, (uint)DocumentCount);
        w.WriteBytes(2, PartRoots);
        w.WriteUInt32(3, (uint)PartsReceived);
        if (SealTxId is { } tx) w.WriteHash(4, tx);
        w.WriteUInt64(5, SealedHeight);
        w.WriteInt64(6, SealedTime);
        if (ManifestDigest is { } digest) w.WriteHash(7, digest);
        w.WriteBytes(8, PartTxIds);
        return w.ToArray();
    }

    public static PaperBatchRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "PaperBatchRecord");
        int count = 0, received = 0;
        byte[]? roots = null, txIds = null;
        Hash32? seal = null, digest = null;
        ulong height = 0;
        long time = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: count = (int)r.ReadUInt32(); break;
                case 2: roots = r.ReadBytes().ToArray(); break;
                case 3: received = (int)r.ReadUInt32(); break;
                case 4: seal = r.ReadHash(); break;
                case 5: height = r.ReadUInt64(); break;
                case 6: time = r.ReadInt64(); break;
                case 7: digest = r.ReadHash(); break;
                case 8: txIds = r.ReadBytes().ToArray(); break;
                default: throw r.UnknownField(field);
            }
        }
        if (count is < 1 or > UploadPaperBatchPayload.MaxDocuments || roots is null || roots.Length != UploadPaperBatchPayload.PartCount(count) * Hash32.Size)
            throw r.Invalid("PaperBatchRecord: part roots do not match the document count");
        if (txIds is null || txIds.Length != roots.Length) throw r.Invalid("PaperBatchRecord: part tx ids do not match the part roots");
        return new PaperBatchRecord(count, roots, received, seal, height, time, digest) { PartTxIds = txIds };
    }
}
