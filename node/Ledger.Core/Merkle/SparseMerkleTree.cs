using Ledger.Core.Crypto;

namespace Ledger.Core.Merkle;

/// <summary>
/// The hashing rules of the state tree: a sparse Merkle tree over SM3 with 256-bit paths, compacted as in
/// Diem's Jellyfish tree. A key's path is the bits of SM3(key), most significant bit of the first byte first
/// (0 = left). An empty subtree hashes to 32 zero bytes; a subtree holding exactly one entry is that entry's
/// leaf, at the highest position where it is alone; any other subtree is an inner node. A leaf hashes as
/// SM3(0x00 ‖ SM3(key) ‖ SM3(value)), an inner node as SM3(0x01 ‖ left ‖ right) — the prefixes of
/// <see cref="MerkleTree"/>, so a leaf never passes for a node. Every set of entries has one tree, so one root.
/// </summary>
public static class SparseMerkleTree
{
    public const int MaxDepth = Hash32.Size * 8;

    /// <summary>The root of the empty tree and the hash of every empty subtree.</summary>
    public static readonly Hash32 EmptyHash = Hash32.Zero;

    public static Hash32 KeyHash(IHasher hasher, ReadOnlySpan<byte> key) => hasher.Hash(key);

    public static Hash32 ValueHash(IHasher hasher, ReadOnlySpan<byte> value) => hasher.Hash(value);

    public static Hash32 LeafHash(IHasher hasher, Hash32 keyHash, Hash32 valueHash)
    {
        Span<byte> both = stackalloc byte[2 * Hash32.Size];
        keyHash.CopyTo(both);
        valueHash.CopyTo(both[Hash32.Size..]);
        return hasher.Hash(MerkleTree.LeafPrefix, both[..Hash32.Size], both[Hash32.Size..]);
    }

    public static Hash32 NodeHash(IHasher hasher, Hash32 left, Hash32 right) => MerkleTree.NodeHash(hasher, left, right);

    /// <summary>The root of a tree with one entry (the genesis state).</summary>
    public static Hash32 SingleEntryRoot(IHasher hasher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        LeafHash(hasher, KeyHash(hasher, key), ValueHash(hasher, value));

    /// <summary>True when the first <paramref name="bits"/> bits of both hashes are equal.</summary>
    public static bool SharePrefix(Hash32 a, Hash32 b, int bits)
    {
        for (var i = 0; i < bits; i++)
            if (a.Bit(i) != b.Bit(i)) return false;
        return true;
    }
}
