using Ledger.Core;

namespace Ledger.Client;

/// <summary>A node's view of the chain head and its mempool.</summary>
public sealed record ChainStatus(
    string ChainId,
    ulong Height,
    Hash32 HeadHash,
    DateTimeOffset HeadTime,
    ulong TotalTransactions,
    int MempoolCount,
    long MempoolBytes,
    int Validators,
    string NodeName)
{
    /// <summary>The first height after genesis whose block the node holds (0: all; the join height after a state sync).</summary>
    public ulong HistoryFrom { get; init; }
}
