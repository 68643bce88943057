using Ledger.Core.Contracts;
using Ledger.Core.Crypto;

namespace Ledger.Core.Merkle;

/// <summary>
/// A paper batch's tree: the chain's Merkle tree (<see cref="MerkleTree"/>, RFC 9162 over SM3, leaf 0x00, node 0x01, an
/// odd last node promoted unchanged) over the leaves' data (<see cref="PaperBatchLeaf.LeafData"/>). Parts hold
/// <see cref="UploadPaperBatchPayload.PartSize"/> (a power of two) leaves each, so each part's root is a node of the batch
/// tree, and the batch root is the same tree over the part roots; a leaf's path is its path in its part, then its part's
/// path among the part roots.
/// </summary>
public static class PaperBatchTree
{
    /// <summary>SM3(0x00 ‖ <see cref="PaperBatchLeaf.LeafData"/>), built on the stack: a batch hashes 100,000 of these.</summary>
    public static Hash32 LeafHash(IHasher hasher, PaperBatchLeaf leaf)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(leaf);
        var tag = PaperBatchLeaf.LeafTag;
        Span<byte> fixedPart = stackalloc byte[tag.Length + Hash32.Size + 1];
        tag.CopyTo(fixedPart);
        leaf.DocumentHash.CopyTo(fixedPart[tag.Length..]);
        fixedPart[^1] = (byte)leaf.Grade;
        var most = System.Text.Encoding.UTF8.GetMaxByteCount(leaf.ContractId.Length);
        Span<byte> id = most <= 512 ? stackalloc byte[most] : new byte[most];
        var length = System.Text.Encoding.UTF8.GetBytes(leaf.ContractId, id);
        return hasher.Hash(MerkleTree.LeafPrefix, fixedPart, id[..length]);
    }

    public static Hash32[] LeafHashes(IHasher hasher, IReadOnlyList<PaperBatchLeaf> leaves)
    {
        var hashes = new Hash32[leaves.Count];
        for (var i = 0; i < hashes.Length; i++) hashes[i] = LeafHash(hasher, leaves[i]);
        return hashes;
    }

    /// <summary>The root of one part's leaves.</summary>
    public static Hash32 PartRoot(IHasher hasher, IReadOnlyList<PaperBatchLeaf> leaves) => MerkleTree.Root(hasher, LeafHashes(hasher, leaves));

    /// <summary>The batch root over its parts' roots, in part order.</summary>
    public static Hash32 RootOfParts(IHasher hasher, IReadOnlyList<Hash32> partRoots) => MerkleTree.Root(hasher, partRoots);

    /// <summary>The batch root over all its leaves (what a bureau computes before submitting).</summary>
    public static Hash32 Root(IHasher hasher, IReadOnlyList<PaperBatchLeaf> leaves)
    {
        var partRoots = new List<Hash32>();
        for (var start = 0; start < leaves.Count; start += UploadPaperBatchPayload.PartSize)
        {
            var length = Math.Min(UploadPaperBatchPayload.PartSize, leaves.Count - start);
            partRoots.Add(MerkleTree.Root(hasher, LeafHashes(hasher, Slice(leaves, start, length))));
        }
        return RootOfParts(hasher, partRoots);
    }

    /// <summary>The path of leaf <paramref name="indexInPart"/> of part <paramref name="part"/> to the batch root.</summary>
    public static MerkleProof Prove(IHasher hasher, IReadOnlyList<PaperBatchLeaf> partLeaves, int part, int indexInPart, IReadOnlyList<Hash32> partRoots, int documentCount)
    {
        var inPart = MerkleTree.Prove(hasher, LeafHashes(hasher, partLeaves), indexInPart);
        var ofPart = MerkleTree.Prove(hasher, partRoots, part);
        return new MerkleProof((long)part * UploadPaperBatchPayload.PartSize + indexInPart, documentCount, [.. inPart.Path, .. ofPart.Path]);
    }

    public static bool Verify(IHasher hasher, PaperBatchLeaf leaf, MerkleProof proof, Hash32 root) =>
        MerkleTree.Verify(hasher, LeafHash(hasher, leaf), proof, root);

    private static PaperBatchLeaf[] Slice(IReadOnlyList<PaperBatchLeaf> leaves, int start, int length)
    {
        var slice = new PaperBatchLeaf[length];
        for (var i = 0; i < length; i++) slice[i] = leaves[start + i];
        return slice;
    }
}
