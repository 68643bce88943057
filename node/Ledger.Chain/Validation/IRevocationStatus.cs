using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>
/// Whether an endorsing certificate was revoked at a block's time, as one source knows it: this node's CRL files today
/// (<see cref="CrlFileRevocationStatus"/>); the chain's own record of published CRLs once they are on chain.
/// </summary>
public interface IRevocationStatus
{
    /// <summary>Valid, or <see cref="ErrorCode.CertificateRevoked"/> (or why the certificate could not be judged).</summary>
    ValidationResult Check(ReadOnlySpan<byte> certificateDer, DateTimeOffset at);
}
