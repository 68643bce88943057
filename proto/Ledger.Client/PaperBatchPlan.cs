using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Crypto;
using Ledger.Core.Merkle;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Client;

/// <summary>
/// A paper batch as a bureau submits it: the leaves in manifest order, their root, the parts (1,024 leaves each) and the
/// seal. Everything here is derived from the leaves, so a re-run over the same manifest makes the same root, parts and
/// seal — the chain refuses a part or seal it already has, so nothing is ever anchored twice.
/// </summary>
public sealed class PaperBatchPlan
{
    private PaperBatchPlan(IReadOnlyList<PaperBatchLeaf> leaves, Hash32 root, Hash32 manifestDigest)
    {
        Leaves = leaves;
        Root = root;
        ManifestDigest = manifestDigest;
    }

    public IReadOnlyList<PaperBatchLeaf> Leaves { get; }
    public Hash32 Root { get; }
    public Hash32 ManifestDigest { get; }
    public int PartCount => UploadPaperBatchPayload.PartCount(Leaves.Count);

    /// <summary>Checks every leaf (1..100,000 of them, no document twice) and computes the root; a defect is a <see cref="LedgerException"/>.</summary>
    public static PaperBatchPlan Create(IReadOnlyList<PaperBatchLeaf> leaves, Hash32 manifestDigest, IHasher? hasher = null)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count is < 1 or > UploadPaperBatchPayload.MaxDocuments)
            throw new LedgerException(ErrorCode.InvalidPaperBatch, $"a batch holds 1..{UploadPaperBatchPayload.MaxDocuments} documents, not {leaves.Count}");
        var seen = new HashSet<Hash32>();
        for (var i = 0; i < leaves.Count; i++)
        {
            PaperBatchLeaf.Check(leaves[i].ContractId, leaves[i].Grade);
            if (!seen.Add(leaves[i].DocumentHash))
                throw new LedgerException(ErrorCode.InvalidPaperBatch, $"document {leaves[i].DocumentHash} is in the batch twice");
        }
        // The parts are subtrees: their roots are computed on every core, then combined (the same root as PaperBatchTree.Root).
        var h = hasher ?? Sm3Hasher.Instance;
        var partRoots = new Hash32[UploadPaperBatchPayload.PartCount(leaves.Count)];
        Parallel.For(0, partRoots.Length, part =>
        {
            var start = part * UploadPaperBatchPayload.PartSize;
            var length = UploadPaperBatchPayload.PartLength(leaves.Count, part);
            var hashes = new Hash32[length];
            for (var i = 0; i < length; i++) hashes[i] = PaperBatchTree.LeafHash(h, leaves[start + i]);
            partRoots[part] = MerkleTree.Root(h, hashes);
        });
        return new PaperBatchPlan(leaves, PaperBatchTree.RootOfParts(h, partRoots), manifestDigest);
    }

    public PaperBatchPart Part(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, PartCount);
        var start = index * UploadPaperBatchPayload.PartSize;
        var length = UploadPaperBatchPayload.PartLength(Leaves.Count, index);
        var leaves = new PaperBatchLeaf[length];
        for (var i = 0; i < length; i++) leaves[i] = Leaves[start + i];
        return new PaperBatchPart { Root = Root, DocumentCount = Leaves.Count, Index = index, Leaves = leaves };
    }

    public PaperBatchSeal Seal() => new() { Root = Root, DocumentCount = Leaves.Count, ManifestDigest = ManifestDigest };

    /// <summary>A step (part or seal) as a tx signed by the bureau's certificate, with a fresh nonce and the default lifetime.</summary>
    public static TxEnvelope Sign(UploadPaperBatchPayload step, string chainId, LedgerCertificate bureau, Sm2PrivateKey key, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(bureau);
        var expiresAt = (time ?? TimeProvider.System).GetUtcNow().Add(TransactionBuilder.DefaultTtl).ToUnixTimeMilliseconds();
        return TransactionBuilder.SignedBySubmitter(step.CreateBody(chainId, TransactionBuilder.NewNonce(), expiresAt, bureau.Id), bureau, key);
    }
}
