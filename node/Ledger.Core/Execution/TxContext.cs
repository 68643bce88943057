using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Core.Execution;

/// <summary>
/// Everything chaincode may know when it executes a tx: the block's height and time and the tx itself,
/// with its signatures already verified. Nothing else (no clock, no randomness, no I/O), so every node
/// computes the same result.
/// </summary>
public sealed record TxContext
{
    public required string ChainId { get; init; }
    public required ulong Height { get; init; }

    /// <summary>The block timestamp, unix milliseconds.</summary>
    public required long BlockTime { get; init; }

    public required Hash32 TxId { get; init; }
    public required TxBody Body { get; init; }
    public required SignerIdentity Submitter { get; init; }
    public required IReadOnlyList<VerifiedEndorsement> Endorsements { get; init; }

    /// <summary>
    /// The protocol version the block's height runs (<see cref="Governance.ProtocolVersions"/>): a rule a later version
    /// changed keeps its old form for a height of an earlier one, so an old block re-executes as it did.
    /// </summary>
    public int ProtocolVersion { get; init; } = Governance.ProtocolVersions.Current;

    /// <summary>The chain's hash (SM3), for chaincode that recomputes a commitment (a paper batch's part roots). Pure, so deterministic.</summary>
    public Crypto.IHasher? Hasher { get; init; }
}
