using Ledger.Core;

namespace Ledger.Explorer.Feed;

/// <summary>What the overview needs of a committed block: where it is, when, how many txs, and whose seals commit it.</summary>
public sealed record BlockSummary(ulong Height, Hash32 Hash, DateTimeOffset Time, int TxCount, Hash32 Proposer, IReadOnlyList<Hash32> Sealers);
