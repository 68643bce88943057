using Ledger.Core.Blocks;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>One simulated run, described like a CometBFT e2e manifest: the network, its faults and its perturbations.</summary>
public sealed record Scenario
{
    public required int Seed { get; init; }
    public required int Validators { get; init; }
    public ulong TargetHeight { get; init; } = 5;
    public NetworkFaults Faults { get; init; } = new();

    /// <summary>Validator indices that run on two instances with one key (Twins).</summary>
    public IReadOnlyList<int> Twinned { get; init; } = [];

    /// <summary>A validator index whose proposals equivocate, if any.</summary>
    public int? Equivocator { get; init; }

    public IReadOnlyList<CrashPlan> Crashes { get; init; } = [];

    public int Transactions { get; init; } = 30;
    public long BaseRoundTimeoutMs { get; init; } = 1000;
    public long MaxVirtualMs { get; init; } = 30 * 60 * 1000;

    /// <summary>Proposer-based timestamps: null runs without block time (as before PBTS).</summary>
    public ProposalTiming? Timing { get; init; }

    /// <summary>Per validator index, how far its clock is off the virtual clock (ms; positive runs fast).</summary>
    public IReadOnlyDictionary<int, long> ClockSkewMs { get; init; } = new Dictionary<int, long>();

    /// <summary>Instance count: one per validator plus one per twin.</summary>
    public int Instances => Validators + Twinned.Count;
}
