namespace Ledger.Core.Evidence;

/// <summary>
/// The <c>batch</c> member of a proof.json whose tx is a paper batch's seal (docs/proof-format.md §2b): the document's leaf
/// (document hash, contract id, evidence grade), its index in the batch, the batch's size and the Merkle path from the
/// leaf to the root the seal anchors.
/// </summary>
public sealed record BatchProofJson
{
    /// <summary>Hex SM3 of the document.</summary>
    public required string Document { get; init; }

    public required string ContractId { get; init; }

    /// <summary>EvidenceGrade: 1 electronic signature (made off chain), 2 paper scan.</summary>
    public required int Grade { get; init; }

    public required long Index { get; init; }

    public required long Count { get; init; }

    /// <summary>Sibling hashes (hex) from the leaf up to the batch root.</summary>
    public required IReadOnlyList<string> Path { get; init; }
}
