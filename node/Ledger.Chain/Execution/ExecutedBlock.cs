using Ledger.Chain.Admission;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Storage;

namespace Ledger.Chain.Execution;

/// <summary>A block executed but not yet committed: its header and receipts, the state it leaves (and its state tree), and its indexes.</summary>
public sealed record ExecutedBlock(
    Block Block,
    Hash32 BlockHash,
    StateOverlay State,
    StateTreeUpdate Tree,
    IReadOnlyList<TxIndexEntry> Index,
    IReadOnlyList<AdmittedTx> Transactions);
