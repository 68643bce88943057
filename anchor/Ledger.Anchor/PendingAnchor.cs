namespace Ledger.Anchor;

/// <summary>A signed anchoring tx: re-broadcast as the same bytes (same nonce, same hash) until it is confirmed.</summary>
public sealed record PendingAnchor(
    ulong Height,
    string BlockHash,
    string ValidatorSetHash,
    string CertificateHash,
    ulong Nonce,
    string RawTx,
    string TxHash,
    DateTimeOffset SignedAt);
