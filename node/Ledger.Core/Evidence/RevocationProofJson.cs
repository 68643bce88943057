namespace Ledger.Core.Evidence;

/// <summary>
/// The chain's revocation status of one certificate a tx relies on, at the tx's block: the state key
/// (<see cref="Revocation.RevocationKeys.Revoked"/>, hex), the <see cref="Revocation.RevocationRecord"/> stored there
/// (base64) or null when the chain knew of no revocation, and the state proof of either under the block's state root.
/// </summary>
public sealed record RevocationProofJson
{
    public required string Key { get; init; }
    public string? Record { get; init; }
    public required StateProofJson StateProof { get; init; }
}
