namespace Ledger.Anchor;

/// <summary>
/// What <see cref="AnchorVerifier"/> established: block <see cref="Height"/> of our chain is an ancestor of the
/// certified block <see cref="CheckpointHeight"/>, whose checkpoint the external chain took in
/// <see cref="ExternalBlock"/> at <see cref="ExternalTime"/> — so the block existed no later than that — and which
/// is <see cref="Confirmations"/> blocks deep there.
/// </summary>
public sealed record AnchorVerification(
    ulong Height,
    string BlockHash,
    ulong CheckpointHeight,
    string CheckpointBlockHash,
    ulong ExternalBlock,
    DateTimeOffset ExternalTime,
    ulong Confirmations,
    int Seals,
    int Validators,
    bool CertificateMatches);
