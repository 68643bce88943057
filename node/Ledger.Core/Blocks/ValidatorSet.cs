using Ledger.Core.Crypto;

namespace Ledger.Core.Blocks;

/// <summary>The rules about a validator set that every node and every verifier must compute alike.</summary>
public static class ValidatorSet
{
    /// <summary>QBFT quorum: ⌈2n/3⌉ distinct validators.</summary>
    public static int Quorum(int validators) => (2 * validators + 2) / 3;

    /// <summary>
    /// The hash a header commits the set with: SM3 over the validators' certificate ids, sorted ascending
    /// and concatenated, so the order certificates are listed in does not matter.
    /// </summary>
    public static Hash32 ComputeHash(IHasher hasher, IEnumerable<Hash32> certificateIds)
    {
        var sorted = certificateIds.Distinct().Order().ToArray();
        var bytes = new byte[sorted.Length * Hash32.Size];
        for (var i = 0; i < sorted.Length; i++) sorted[i].CopyTo(bytes.AsSpan(i * Hash32.Size));
        return hasher.Hash(bytes);
    }
}
