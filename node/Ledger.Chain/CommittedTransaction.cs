using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Transactions;

namespace Ledger.Chain;

/// <summary>A tx as committed: its envelope (bytes as in the block), its receipt and where it is.</summary>
public sealed record CommittedTransaction(
    Hash32 TxId,
    ReadOnlyMemory<byte> Envelope,
    Receipt Receipt,
    ulong Height,
    int Index,
    Hash32 BlockHash,
    long BlockTimestamp)
{
    public TxEnvelope Decode() => TxEnvelope.Decode(Envelope.Span);
}
