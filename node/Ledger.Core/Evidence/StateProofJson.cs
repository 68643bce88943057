using Ledger.Core.Merkle;

namespace Ledger.Core.Evidence;

/// <summary>A <see cref="StateProof"/> in a bundle: siblings from the root down (hex), and the leaf the path ends at (null for an empty subtree).</summary>
public sealed record StateProofJson
{
    public required IReadOnlyList<string> Siblings { get; init; }
    public string? LeafKeyHash { get; init; }
    public string? LeafValueHash { get; init; }

    public static StateProofJson From(StateProof proof) => new()
    {
        Siblings = proof.Siblings.Select(h => h.ToHex()).ToArray(),
        LeafKeyHash = proof.LeafKeyHash?.ToHex(),
        LeafValueHash = proof.LeafValueHash?.ToHex(),
    };

    /// <summary>The proof, or a <see cref="LedgerException"/> (InvalidStateProof) for a hash that is not 64 hex digits.</summary>
    public StateProof ToProof()
    {
        if (Siblings.Count > SparseMerkleTree.MaxDepth)
            throw new LedgerException(ErrorCode.InvalidStateProof, $"stateProof has {Siblings.Count} siblings, more than {SparseMerkleTree.MaxDepth}");
        return new StateProof(Siblings.Select((h, i) => Parse(h, $"stateProof.siblings[{i}]")).ToArray(),
            LeafKeyHash is null ? null : Parse(LeafKeyHash, "stateProof.leafKeyHash"),
            LeafValueHash is null ? null : Parse(LeafValueHash, "stateProof.leafValueHash"));
    }

    private static Hash32 Parse(string hex, string field) =>
        Hash32.TryParse(hex, out var hash) ? hash : throw new LedgerException(ErrorCode.InvalidStateProof, $"{field} is not 64 hex digits");
}
