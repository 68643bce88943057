using Ledger.Core;

namespace Ledger.Analytics.Indexing;

/// <summary>The last block whose rows are committed: height 0 with the zero hash before the first.</summary>
public sealed record IndexCheckpoint(string ChainId, ulong Height, Hash32 BlockHash, DateTimeOffset BlockTime, string Scope);
