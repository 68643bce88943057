namespace Ledger.Consensus.Events;

/// <summary>A tick from the mempool (or the block interval timer): a proposer still waiting for a block asks again.</summary>
public sealed record TransactionsAvailable : ConsensusEvent;
