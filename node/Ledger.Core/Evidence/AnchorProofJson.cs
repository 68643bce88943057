namespace Ledger.Core.Evidence;

/// <summary>
/// The nearest later external-anchor checkpoint of a proof's block (docs/proof-format.md §2 check 9): the tx proof of the
/// ExternalAnchor tx our chain recorded (where checkpoint height H′ was anchored on an external EVM chain), and the
/// headers of heights h+1 … H′ that link the proof's block h to the anchored block by their prev_hash. What it shows
/// offline: the consortium certified that block H′ — a descendant of block h — was anchored at external block N, time T.
/// That the external chain holds it is checked there (<c>ledger anchor verify</c>).
/// </summary>
public sealed record AnchorProofJson
{
    /// <summary>The most headers a link may have: a checkpoint further than this above the block is not carried.</summary>
    public const int MaxHeaders = 4096;

    /// <summary>The tx proof (§2, without an anchor of its own) of the ExternalAnchor tx.</summary>
    public required EvidenceProof Proof { get; init; }

    /// <summary>The encoded BlockHeaders of heights h+1 … H′, base64, in order; empty when H′ = h.</summary>
    public required IReadOnlyList<string> Headers { get; init; }
}
