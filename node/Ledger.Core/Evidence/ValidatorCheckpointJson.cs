namespace Ledger.Core.Evidence;

/// <summary>
/// How a proof's validator set derives from genesis: for each block whose governance txs changed the validator schedule
/// (in height order), its header and commit certificate (sealed by the set the previous schedule gives for that height)
/// and the schedule stored in its state (<see cref="Governance.GovernanceKeys.Schedule"/>, base64), proved under the
/// header's state root. The last schedule gives the set of the proof's height (docs/proof-format.md, validator sets).
/// </summary>
public sealed record ValidatorCheckpointJson
{
    public required string Header { get; init; }
    public required string Commit { get; init; }
    public required string Schedule { get; init; }
    public required StateProofJson StateProof { get; init; }
}
