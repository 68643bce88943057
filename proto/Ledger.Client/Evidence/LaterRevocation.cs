using Ledger.Core;

namespace Ledger.Client.Evidence;

/// <summary>A certificate a tx relies on that the chain recorded as revoked at <see cref="Height"/>, after the tx; <see cref="RevokedAt"/> is the CA's date.</summary>
public sealed record LaterRevocation(Hash32 CertificateId, string Subject, ulong Height, DateTimeOffset RevokedAt);
