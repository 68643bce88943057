using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Consensus.Ports;

/// <summary>
/// Decides whether a proposed block may be prepared. The adaptor decodes the block, checks that
/// <see cref="ProposedBlock.Hash"/> is its header hash, its height, parent, proposer and validator set hash, and
/// re-executes its transactions to check the roots. Consensus only checks the signatures and the justification.
/// </summary>
public interface IProposalValidator
{
    ValidationResult Validate(ulong height, uint round, ProposedBlock block);
}
