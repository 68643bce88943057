namespace Ledger.Core.Genesis;

/// <summary>QBFT parameters every validator must share.</summary>
public sealed record ConsensusParameters
{
    /// <summary>How long a proposer waits for transactions before proposing a block.</summary>
    public int BlockIntervalMs { get; init; } = 500;

    /// <summary>The first round's timeout; round r waits RoundTimeoutMs · 2^r.</summary>
    public int RoundTimeoutMs { get; init; } = 2000;

    public int MaxBlockTransactions { get; init; } = 5000;

    public int MaxBlockBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// Proposer-based timestamps (CometBFT PBTS): the most any two honest validators' clocks may differ. A validator
    /// prepares a new proposal only if its time is within [local − precision − message delay, local + precision].
    /// </summary>
    public int TimestampPrecisionMs { get; init; } = 500;

    /// <summary>PBTS: the longest a proposal takes to reach a validator (network plus queueing), for the lower bound.</summary>
    public int MessageDelayMs { get; init; } = 5000;

    /// <summary>
    /// Governance: a validator-set change takes effect at a height at least this many blocks after the vote that passes it
    /// (so every node knows the set of a height before that height starts, and a joining validator has time to catch up);
    /// an open proposal expires once its effective height is nearer than this. At least 2.
    /// </summary>
    public int GovernanceDelayBlocks { get; init; } = 10;
}
