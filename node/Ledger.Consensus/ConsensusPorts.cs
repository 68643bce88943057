using Ledger.Consensus.Ports;

namespace Ledger.Consensus;

/// <summary>Everything the engine talks to. Adaptors live in Ledger.Network / Ledger.Node; tests pass fakes.</summary>
public sealed record ConsensusPorts
{
    public required IConsensusTransport Transport { get; init; }
    public required ITimeoutScheduler Timeouts { get; init; }
    public required IBlockProposer Proposer { get; init; }
    public required IProposalValidator ProposalValidator { get; init; }
    public required IBlockCommitter Committer { get; init; }
    public required IConsensusSigner Signer { get; init; }
    public required IValidatorKeys Keys { get; init; }
    public required IConsensusWal Wal { get; init; }

    /// <summary>The highest slot this key signed, kept outside the store (the node's is a file); in memory when not given.</summary>
    public ISigningWatermark Watermark { get; init; } = new Signing.InMemorySigningWatermark();
}
