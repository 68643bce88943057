using Ledger.Chain.Admission;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Storage;

namespace Ledger.Chain.Validation;

/// <summary>
/// A decoded block on its way to being prepared (a proposal) or imported (a certified block), with what the rules
/// judge it against: the hash it was announced under, the head it must extend, the consensus height and round.
/// </summary>
public sealed class BlockCandidate
{
    public required Block Block { get; init; }

    /// <summary>The hash the block was announced under (a proposal's digest); a fetched block's own header hash.</summary>
    public required Hash32 Hash { get; init; }

    /// <summary>This node's head, which the block must extend.</summary>
    public required ChainHead Parent { get; init; }

    /// <summary>The height consensus decides (the parent's height + 1 when all is well).</summary>
    public required ulong Height { get; init; }

    /// <summary>The round it is proposed in, or the round its commit certificate was sealed in.</summary>
    public required uint Round { get; init; }

    /// <summary>
    /// A proposal re-proposing the block a PREPARE quorum prepared in an earlier round: it keeps its original time, and
    /// its timeliness is not judged again (PBTS), since that quorum already accepted it.
    /// </summary>
    public bool Reproposal { get; init; }

    /// <summary>The commit certificate: carried by a fetched block, or the one consensus just formed; null for a proposal.</summary>
    public CommitCertificate? Certificate { get; init; }

    public BlockHeader Header => Block.Header;

    /// <summary>The block's time as a point in time (certificate validity and revocation are judged at it).</summary>
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Block.Header.Timestamp);

    /// <summary>Set by <see cref="TransactionsRule"/>: every tx decoded and its signatures checked, ready to re-execute.</summary>
    public IReadOnlyList<AdmittedTx>? Verified { get; internal set; }
}
