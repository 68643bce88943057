using System.Globalization;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// Bulk anchoring of paper contracts, TxBody payload field <see cref="Field"/>:
/// <c>UploadPaperBatch { oneof step { PaperBatchPart part = 1; PaperBatchSeal seal = 2; } }</c>. A batch of up to
/// <see cref="MaxDocuments"/> documents is a Merkle tree (<see cref="Merkle.PaperBatchTree"/>); its leaves reach every
/// node in parts of <see cref="PartSize"/> (each a tx within the 128 KiB cap), and one seal tx anchors the root once
/// every part is on chain. Only a Bureau certificate submits either; neither has a statement (the Bureau attests).
/// </summary>
public abstract record UploadPaperBatchPayload
{
    public const int Field = 24;
    public const int MaxDocuments = 100_000;

    /// <summary>Leaves per part (the last part holds the rest): a power of two, so each part is a subtree of the batch.</summary>
    public const int PartSize = 1024;

    /// <summary>The root of the batch this part belongs to, or the seal anchors.</summary>
    public required Hash32 Root { get; init; }

    /// <summary>Documents in the whole batch, 1..<see cref="MaxDocuments"/>.</summary>
    public required int DocumentCount { get; init; }

    public static int PartCount(int documentCount) => (documentCount + PartSize - 1) / PartSize;

    /// <summary>Leaves in part <paramref name="part"/> of a batch of <paramref name="documentCount"/>.</summary>
    public static int PartLength(int documentCount, int part) => Math.Min(PartSize, documentCount - part * PartSize);

    public abstract byte[] Encode();

    public TxBody CreateBody(string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId) =>
        TxBody.SubmitterOnly(chainId, nonce, expiresAt, submitterCertificateId, Field, Encode());

    public static UploadPaperBatchPayload Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EncodingLimits.MaxTxBytes)
            throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"UploadPaperBatch: {bytes.Length} bytes"));
        var r = new ProtoReader(bytes, "UploadPaperBatch");
        UploadPaperBatchPayload? step = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            if (step is not null) throw r.Invalid("UploadPaperBatch: both a part and a seal");
            step = field switch
            {
                1 => PaperBatchPart.DecodePart(r.ReadLengthDelimited()),
                2 => PaperBatchSeal.DecodeSeal(r.ReadLengthDelimited()),
                _ => throw r.UnknownField(field),
            };
        }
        return step ?? throw r.Missing("UploadPaperBatch.step");
    }

    protected static void CheckCount(int documentCount)
    {
        if (documentCount is < 1 or > MaxDocuments)
            throw new LedgerException(ErrorCode.InvalidPaperBatch, string.Create(CultureInfo.InvariantCulture, $"a batch holds 1..{MaxDocuments} documents, not {documentCount}"));
    }

    protected static int ReadCount(ref ProtoReader r)
    {
        var value = r.ReadUInt32();
        return value <= MaxDocuments ? (int)value : throw new LedgerException(ErrorCode.InvalidPaperBatch, string.Create(CultureInfo.InvariantCulture, $"a batch holds at most {MaxDocuments} documents, not {value}"));
    }
}
