using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chain;

/// <summary>
/// A document found in a sealed paper batch: its leaf and index in the batch, the batch (size, root), the part tx that
/// carried the leaf and the seal tx that anchored the root.
/// </summary>
public sealed record BatchDocumentHit(
    PaperBatchLeaf Leaf, long LeafIndex, int DocumentCount, Hash32 Root, Hash32 PartTxId, Hash32 Submitter, CommittedTransaction Seal);
