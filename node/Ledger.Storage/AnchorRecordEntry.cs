using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// An accepted ExternalAnchor tx, as the block store indexes it: the checkpoint height it covers, the EVM chain and contract
/// it was anchored on, the block hash it names, and the tx that recorded it.
/// </summary>
public sealed record AnchorRecordEntry(ulong Checkpoint, ulong EvmChainId, ReadOnlyMemory<byte> Contract, Hash32 BlockHash, Hash32 RecordTxId);
