using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;

namespace Ledger.Client;

/// <summary>
/// The public view of a committed tx — what any caller may learn about an anchored hash: that it is anchored, when,
/// with what outcome, and the contract's current status. No envelope, no contract id, no parties.
/// </summary>
public sealed record TxStatus(
    Hash32 TxId,
    ContractAction Action,
    ErrorCode ReceiptCode,
    ulong Height,
    Hash32 BlockHash,
    DateTimeOffset BlockTime,
    ContractStatus ContractStatus);
