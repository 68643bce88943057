using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Client.Evidence;

/// <summary>
/// One signature carried by the proven tx, verified. A certified signer is described by its certificate, which
/// chained to the genesis root at block time (a proof whose signer's certificate does not is refused). A bare-key
/// signer (a worker without a certificate) has only its key id.
/// </summary>
public sealed record EvidenceSigner(
    EndorsementScope Scope,
    Hash32 KeyId,
    Hash32? CertificateId,
    string? Subject,
    Role Role,
    string? CreditCode);
