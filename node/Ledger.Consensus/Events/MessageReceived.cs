namespace Ledger.Consensus.Events;

/// <summary>A consensus message from the network, as received (the engine decodes and authenticates it).</summary>
public sealed record MessageReceived(ReadOnlyMemory<byte> Bytes) : ConsensusEvent;
