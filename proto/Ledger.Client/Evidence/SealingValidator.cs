using Ledger.Core;

namespace Ledger.Client.Evidence;

/// <summary>A validator whose seal on the block verified: its certificate id, subject and region.</summary>
public sealed record SealingValidator(Hash32 CertificateId, string Subject, string Division);
