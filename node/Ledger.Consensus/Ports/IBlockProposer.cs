using Ledger.Consensus.Messages;

namespace Ledger.Consensus.Ports;

/// <summary>Builds this validator's block for a height when it is the proposer.</summary>
public interface IBlockProposer
{
    /// <summary>
    /// A block on top of the chain's head, or null if there is nothing to propose yet (no transactions, block interval
    /// not reached); the engine asks again on <see cref="Events.TransactionsAvailable"/>.
    /// </summary>
    ProposedBlock? CreateProposal(ulong height, uint round);
}
