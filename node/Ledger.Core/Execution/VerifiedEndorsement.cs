using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Core.Execution;

/// <summary>An endorsement whose signature admission has already checked, and over what.</summary>
public sealed record VerifiedEndorsement(SignerIdentity Signer, EndorsementScope Scope)
{
    /// <summary>
    /// The state keys (<see cref="Revocation.RevocationKeys.Revoked"/>) under which the chain would record a revocation of the
    /// signer's certificate or of a CA between it and the root; empty for a bare key.
    /// </summary>
    public IReadOnlyList<byte[]> RevocationKeys { get; init; } = [];

    /// <summary>The certificate ids of the CAs between the signer's certificate and the root (its city CA); empty for a bare key.</summary>
    public IReadOnlyList<Hash32> Authorities { get; init; } = [];
}
