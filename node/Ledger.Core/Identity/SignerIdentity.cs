namespace Ledger.Core.Identity;

/// <summary>
/// Who stands behind a verified signature: the key, and, when the signer presented a certificate that
/// chains to the consortium root, what the certificate says about them. A bare key carries no role
/// (<see cref="Role.Unknown"/>) and no certificate fields: only a Worker certificate makes a worker.
/// </summary>
public sealed record SignerIdentity
{
    /// <summary>SM3 of the signer's 65-byte public key.</summary>
    public required Hash32 KeyId { get; init; }

    public required Role Role { get; init; }

    /// <summary>SM3 of the certificate's DER, if the signer presented one.</summary>
    public Hash32? CertificateId { get; init; }

    public DivisionCode? Division { get; init; }

    public CreditCode? CreditCode { get; init; }

    public string? CommonName { get; init; }

    /// <summary>A Worker certificate's stable pseudonym: the one a contract names its worker by.</summary>
    public Hash32? WorkerPseudonym { get; init; }
}
