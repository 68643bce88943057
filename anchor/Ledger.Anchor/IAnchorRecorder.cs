namespace Ledger.Anchor;

/// <summary>Records a confirmed anchor back on our chain (an ExternalAnchor tx).</summary>
public interface IAnchorRecorder
{
    /// <summary>Records it, or finds it recorded already; returns our chain's height that holds the record (0 if it was there before).</summary>
    Task<ulong> RecordAsync(AnchorReceipt receipt, CancellationToken cancellationToken);
}
