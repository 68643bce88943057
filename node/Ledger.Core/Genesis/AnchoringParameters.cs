namespace Ledger.Core.Genesis;

/// <summary>
/// How often the chain is anchored on an external chain (<c>ledger anchor</c>): a checkpoint at the first block that is
/// <see cref="IntervalBlocks"/> above the last anchored one or whose time is <see cref="IntervalSeconds"/> after that
/// block's time, whichever comes first. Genesis's values hold until governance changes them
/// (<c>anchor.intervalBlocks</c>, <c>anchor.intervalSeconds</c>, from protocol version 4). They bind the anchoring service,
/// not block execution.
/// </summary>
public sealed record AnchoringParameters
{
    /// <summary>What holds when genesis names none (a genesis written before anchoring was a chain parameter).</summary>
    public static readonly AnchoringParameters Default = new();

    /// <summary>At most this many blocks between two checkpoints. At least 2: recording an anchor makes a block.</summary>
    public ulong IntervalBlocks { get; init; } = 100;

    /// <summary>At most this many seconds of block time between two checkpoints.</summary>
    public ulong IntervalSeconds { get; init; } = 3600;
}
