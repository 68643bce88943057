using Ledger.Core.Crypto;

namespace Ledger.Core.Merkle;

/// <summary>
/// The Merkle tree of RFC 6962 / RFC 9162 §2.1 over SM3, with domain separation: a leaf hashes as
/// SM3(0x00 ‖ data), an inner node as SM3(0x01 ‖ left ‖ right), so a leaf can never pass for a node.
/// A tree of n leaves splits at the largest power of two below n. The empty tree's root is SM3 of nothing.
/// </summary>
public static class MerkleTree
{
    public const byte LeafPrefix = 0x00;
    public const byte NodePrefix = 0x01;

    public static Hash32 LeafHash(IHasher hasher, ReadOnlySpan<byte> data) => hasher.Hash(LeafPrefix, data, default);

    public static Hash32 NodeHash(IHasher hasher, Hash32 left, Hash32 right)
    {
        Span<byte> both = stackalloc byte[2 * Hash32.Size];
        left.CopyTo(both);
        right.CopyTo(both[Hash32.Size..]);
        return hasher.Hash(NodePrefix, both[..Hash32.Size], both[Hash32.Size..]);
    }

    /// <summary>The root over leaf hashes (already passed through <see cref="LeafHash"/>).</summary>
    public static Hash32 Root(IHasher hasher, IReadOnlyList<Hash32> leafHashes)
    {
        if (leafHashes.Count == 0) return hasher.Hash([]);
        // Bottom-up, level by level; an odd last node is promoted unchanged, which yields exactly the
        // RFC 6962 tree (the left subtree is always the largest power of two).
        var level = leafHashes.ToArray();
        var count = level.Length;
        while (count > 1)
        {
            var next = 0;
            for (var i = 0; i + 1 < count; i += 2)
                level[next++] = NodeHash(hasher, level[i], level[i + 1]);
            if ((count & 1) == 1) level[next++] = level[count - 1];
            count = next;
        }
        return level[0];
    }

    /// <summary>The inclusion proof for leaf <paramref name="index"/>.</summary>
    public static MerkleProof Prove(IHasher hasher, IReadOnlyList<Hash32> leafHashes, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leafHashes.Count);
        var path = new List<Hash32>();
        var level = leafHashes.ToArray();
        var count = level.Length;
        var position = index;
        while (count > 1)
        {
            var sibling = position ^ 1;
            if (sibling < count) path.Add(level[sibling]);
            var next = 0;
            for (var i = 0; i + 1 < count; i += 2)
                level[next++] = NodeHash(hasher, level[i], level[i + 1]);
            if ((count & 1) == 1) level[next++] = level[count - 1];
            count = next;
            position >>= 1;
        }
        return new MerkleProof(index, leafHashes.Count, path);
    }

    /// <summary>RFC 9162 §2.1.3.2: recomputes the root from a leaf hash and its path.</summary>
    public static bool Verify(IHasher hasher, Hash32 leafHash, MerkleProof proof, Hash32 root)
    {
        if (proof.LeafIndex < 0 || proof.LeafIndex >= proof.TreeSize) return false;
        long fn = proof.LeafIndex, sn = proof.TreeSize - 1;
        var r = leafHash;
        foreach (var p in proof.Path)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(hasher, p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = NodeHash(hasher, r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r == root;
    }
}
