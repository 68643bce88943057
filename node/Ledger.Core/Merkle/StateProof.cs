using Ledger.Core.Crypto;

namespace Ledger.Core.Merkle;

/// <summary>
/// A path in the state tree (<see cref="SparseMerkleTree"/>) for one key: the siblings from the root down, and
/// what the path ends at — the key's own leaf (inclusion), another key's leaf whose path shares every bit so far
/// (absence), or an empty subtree (absence, <see cref="LeafKeyHash"/> null).
/// </summary>
public sealed record StateProof(IReadOnlyList<Hash32> Siblings, Hash32? LeafKeyHash, Hash32? LeafValueHash)
{
    /// <summary>
    /// Checks that under <paramref name="root"/> <paramref name="key"/> holds <paramref name="value"/>, or, with a
    /// null value, that the key holds nothing. Failures are <see cref="ErrorCode.InvalidStateProof"/>.
    /// </summary>
    public ValidationResult Verify(IHasher hasher, Hash32 root, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool present)
    {
        if (Siblings.Count > SparseMerkleTree.MaxDepth)
            return ValidationResult.Fail(ErrorCode.InvalidStateProof, $"a path of {Siblings.Count} siblings is deeper than {SparseMerkleTree.MaxDepth}");
        if (LeafKeyHash.HasValue != LeafValueHash.HasValue)
            return ValidationResult.Fail(ErrorCode.InvalidStateProof, "a leaf needs both its key hash and its value hash");
        var keyHash = SparseMerkleTree.KeyHash(hasher, key);
        var depth = Siblings.Count;
        Hash32 current;
        if (present)
        {
            if (LeafKeyHash != keyHash)
                return ValidationResult.Fail(ErrorCode.InvalidStateProof, "the path does not end at the key's leaf");
            if (LeafValueHash != SparseMerkleTree.ValueHash(hasher, value))
                return ValidationResult.Fail(ErrorCode.InvalidStateProof, "the key's leaf holds another value");
            current = SparseMerkleTree.LeafHash(hasher, keyHash, LeafValueHash.Value);
        }
        else if (LeafKeyHash is { } other)
        {
            if (other == keyHash)
                return ValidationResult.Fail(ErrorCode.InvalidStateProof, "the path ends at the key's own leaf: the key is present");
            if (!SparseMerkleTree.SharePrefix(other, keyHash, depth))
                return ValidationResult.Fail(ErrorCode.InvalidStateProof, "the leaf the path ends at is not on the key's path");
            current = SparseMerkleTree.LeafHash(hasher, other, LeafValueHash!.Value);
        }
        else
        {
            current = SparseMerkleTree.EmptyHash;
        }
        for (var i = depth - 1; i >= 0; i--)
        {
            current = keyHash.Bit(i) == 0
                ? SparseMerkleTree.NodeHash(hasher, current, Siblings[i])
                : SparseMerkleTree.NodeHash(hasher, Siblings[i], current);
        }
        return current == root
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.InvalidStateProof, $"the path leads to root {current}, not the header's state root {root}");
    }

    public bool Equals(StateProof? other) =>
        other is not null && LeafKeyHash == other.LeafKeyHash && LeafValueHash == other.LeafValueHash && Siblings.SequenceEqual(other.Siblings);

    public override int GetHashCode() => HashCode.Combine(Siblings.Count, LeafKeyHash, LeafValueHash);
}
