using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Consensus.Ports;

/// <summary>
/// Decides whether a proposed block may be prepared. The adaptor decodes the block, checks that
/// <see cref="ProposedBlock.Hash"/> is its header hash, its height, parent, proposer and validator set hash, and
/// re-executes its transactions to check the roots, and that a new proposal's time is timely on this validator's clock
/// (proposer-based timestamps). Consensus only checks the signatures and the justification.
/// </summary>
public interface IProposalValidator
{
    /// <param name="reproposal">
    /// True when the proposal re-proposes the block prepared in an earlier round of the height, proved by the PREPARE
    /// quorum in its justification: the block keeps its original time, and its timeliness is not judged again (PBTS).
    /// </param>
    ValidationResult Validate(ulong height, uint round, ProposedBlock block, bool reproposal);
}
