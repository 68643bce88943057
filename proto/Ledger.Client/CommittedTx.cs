using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Transactions;

namespace Ledger.Client;

/// <summary>A committed tx as a node reports it: the envelope (bytes as in the block, and decoded), its receipt and where it is.</summary>
public sealed record CommittedTx(
    Hash32 TxId,
    ReadOnlyMemory<byte> EnvelopeBytes,
    TxEnvelope Envelope,
    Receipt Receipt,
    ulong Height,
    int Index,
    Hash32 BlockHash,
    DateTimeOffset BlockTime)
{
    public bool Succeeded => Receipt.Succeeded;
}
