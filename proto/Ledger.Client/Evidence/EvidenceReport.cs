using Ledger.Core;
using Ledger.Core.Transactions;

namespace Ledger.Client.Evidence;

/// <summary>
/// The outcome of checking a proof, and when it holds, what it establishes: on which chain, in which block and
/// when a tx was committed, what it did to which contract, who signed, and which validators sealed the block.
/// The facts are null (or empty) when <see cref="Result"/> is a failure: nothing in a failed proof is vouched for.
/// </summary>
public sealed record EvidenceReport
{
    public required ValidationResult Result { get; init; }

    public bool IsValid => Result.IsValid;

    public string? ChainId { get; init; }
    public Hash32? TxId { get; init; }
    public ulong? Height { get; init; }
    public Hash32? BlockHash { get; init; }
    public DateTimeOffset? BlockTime { get; init; }

    /// <summary>The bound proposer-based timestamps put on <see cref="BlockTime"/>: a quorum's clocks accepted it.</summary>
    public AttestedTime? AttestedTime { get; init; }

    public string? ContractId { get; init; }
    public ContractAction? Action { get; init; }

    /// <summary>The contract version the tx created or acted on (the version of its statement).</summary>
    public uint? Version { get; init; }

    /// <summary>The anchored document: the one the tx's statement names.</summary>
    public Hash32? DocumentHash { get; init; }

    /// <summary>Ok when the chaincode accepted the tx; otherwise the reason it was recorded as refused.</summary>
    public ErrorCode? ReceiptCode { get; init; }

    public string? ReceiptMessage { get; init; }

    /// <summary>Every endorsement of the tx: the submitter (Body scope) and the parties (Statement scope).</summary>
    public IReadOnlyList<EvidenceSigner> Signers { get; init; } = [];

    /// <summary>The validators whose valid seals commit the block.</summary>
    public IReadOnlyList<SealingValidator> SealedBy { get; init; } = [];

    /// <summary>The number of validators in the set at that height.</summary>
    public int ValidatorCount { get; init; }

    /// <summary>True when a file was given and its SM3 equals <see cref="DocumentHash"/>.</summary>
    public bool FileMatches { get; init; }

    /// <summary>
    /// Certificates the tx relies on that the chain recorded as revoked only after it (later in the same block): the tx
    /// stands, and the CA's own revocation date is shown for the court to weigh.
    /// </summary>
    public IReadOnlyList<LaterRevocation> LaterRevocations { get; init; } = [];

    /// <summary>The nearest later external-anchor checkpoint, checked offline as far as it can be; null when the proof carries none.</summary>
    public AnchorCheckpoint? Anchor { get; init; }

    /// <summary>For a document of a paper batch: its place in the batch the tx sealed; null for any other tx.</summary>
    public PaperBatchMembership? PaperBatch { get; init; }

    public static EvidenceReport Failed(ValidationResult result) =>
        result.IsValid ? throw new ArgumentException("a failed report needs a failure", nameof(result)) : new EvidenceReport { Result = result };
}
