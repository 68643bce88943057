using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Chain.Validation;

/// <summary>
/// Proposer-based timestamps: a new proposal's time must be within [local − precision − message delay, local + precision]
/// of this validator's clock (<see cref="ProposalTiming"/>). A re-proposal of a block prepared in an earlier round keeps
/// its time and is not judged again, as in PBTS: the quorum that prepared it accepted its time then. Only for proposals:
/// a certified block's time was attested by the quorum that sealed it.
/// </summary>
public sealed class TimelyProposalRule(ProposalTiming timing, TimeProvider clock) : IBlockRule
{
    public ValidationResult Check(BlockCandidate candidate) =>
        candidate.Reproposal ? ValidationResult.Valid : timing.Check(candidate.Header.Timestamp, clock.GetUtcNow().ToUnixTimeMilliseconds());
}
