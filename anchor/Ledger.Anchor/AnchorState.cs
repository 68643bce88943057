namespace Ledger.Anchor;

/// <summary>
/// The service's progress, on disk: the last checkpoint confirmed on the external chain, the tx in flight (written
/// before it is broadcast, so a restart finds it by hash and nonce and never signs a second one for the same
/// checkpoint), and the receipts of confirmed anchors.
/// </summary>
public sealed record AnchorState
{
    /// <summary>Height of the last confirmed checkpoint; 0 before the first.</summary>
    public ulong LastConfirmed { get; init; }

    public PendingAnchor? Pending { get; init; }

    public IReadOnlyList<AnchorReceipt> Receipts { get; init; } = [];

    /// <summary>Height of the last checkpoint whose receipt is recorded on our chain (ExternalAnchor tx); 0 before the first.</summary>
    public ulong RecordedUpTo { get; init; }
}
