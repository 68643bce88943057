namespace Ledger.Core.Merkle;

/// <summary>An inclusion proof: the leaf's index, the tree's size, and the sibling hashes from the leaf up.</summary>
public sealed record MerkleProof(long LeafIndex, long TreeSize, IReadOnlyList<Hash32> Path)
{
    public bool Equals(MerkleProof? other) =>
        other is not null && LeafIndex == other.LeafIndex && TreeSize == other.TreeSize && Path.SequenceEqual(other.Path);

    public override int GetHashCode() => HashCode.Combine(LeafIndex, TreeSize, Path.Count);
}
