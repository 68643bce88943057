using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Transactions;

namespace Ledger.Reports;

/// <summary>One event of the contract as the report lists it.</summary>
public sealed record ReportEvent(
    int Index, ContractAction? Action, uint Version, ulong Height, Hash32 BlockHash, DateTimeOffset BlockTime, AttestedTime? AttestedTime,
    Hash32? DocumentHash, Hash32 TxId, IReadOnlyList<ReportSealer> Sealers, VersionStanding Standing, AnchorCheckpoint? Anchor = null);
