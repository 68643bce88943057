using Ledger.Core.Governance;

namespace Ledger.Anchor;

/// <summary>
/// The chain's anchoring interval (<see cref="ChainParameter.AnchorIntervalBlocks"/>, <see cref="ChainParameter.AnchorIntervalSeconds"/>:
/// genesis's values, then governance's) for every height up to <see cref="KnownUpTo"/>, the head it was read at: a vote
/// committed later takes effect above that head, so these values are final there.
/// </summary>
public sealed record AnchorInterval(ulong KnownUpTo, ParameterValues Values)
{
    public ulong BlocksAt(ulong height) => Values.ValueAt(ChainParameter.AnchorIntervalBlocks, height);

    public ulong SecondsAt(ulong height) => Values.ValueAt(ChainParameter.AnchorIntervalSeconds, height);
}
