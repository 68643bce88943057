using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// What the block store indexes for one tx of a block being committed: its id and index in the block, and,
/// for a contract tx the chaincode accepted, the contract id and the document hash it anchored; for a paper batch's seal
/// the chaincode accepted, the document hash of every leaf of the batch, in leaf order; for an ExternalAnchor the chaincode
/// accepted, what it recorded (its <see cref="AnchorRecordEntry.RecordTxId"/> is this tx's id).
/// </summary>
public sealed record TxIndexEntry(Hash32 TxId, int Index, string? ContractId, Hash32? DocumentHash)
{
    public IReadOnlyList<Hash32>? BatchDocuments { get; init; }

    public AnchorRecordEntry? AnchorRecord { get; init; }
}
