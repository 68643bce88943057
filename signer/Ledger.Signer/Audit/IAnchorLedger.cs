using Ledger.Core;
using Ledger.Core.Audit;

namespace Ledger.Signer.Audit;

/// <summary>Where audit heads are anchored: the ledger (<see cref="LedgerAnchorClient"/>), or a fake in tests.</summary>
public interface IAnchorLedger
{
    /// <summary>Submits the head and waits for its commit; the committed tx's id and height. A refusal throws <see cref="LedgerException"/>.</summary>
    Task<(Hash32 TxId, ulong Height)> AnchorAsync(AuditAnchorPayload head, CancellationToken cancellationToken);

    /// <summary>The anchor a committed, successful tx carries, read back from the ledger; null if there is none.</summary>
    Task<AuditAnchorPayload?> ReadAnchorAsync(Hash32 txId, CancellationToken cancellationToken);
}
