using Ledger.Core;

namespace Ledger.Chain;

/// <summary>The node's view of the chain head and its pool.</summary>
public sealed record ChainInfo(
    string ChainId,
    ulong Height,
    Hash32 HeadHash,
    long HeadTimestamp,
    ulong TotalTransactions,
    int MempoolCount,
    long MempoolBytes,
    int Validators,
    string NodeName)
{
    /// <summary>The first height after genesis whose block the node holds (0: all; the join height after a state sync).</summary>
    public ulong HistoryFrom { get; init; }
}
