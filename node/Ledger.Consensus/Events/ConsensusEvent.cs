namespace Ledger.Consensus.Events;

/// <summary>Something the engine reacts to. The host's event loop feeds them one at a time into <see cref="QbftEngine.Handle"/>.</summary>
public abstract record ConsensusEvent;
