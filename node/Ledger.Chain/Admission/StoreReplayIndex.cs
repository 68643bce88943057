using Ledger.Chain;
using Ledger.Core;
using Ledger.Storage;

namespace Ledger.Chain.Admission;

/// <summary>Replay checks against the committed chain: the tx index and the spent (submitter, nonce) pairs in state.</summary>
public sealed class StoreReplayIndex(BlockStore store) : IReplayIndex
{
    public bool IsCommitted(Hash32 txId) => store.FindTransaction(txId) is not null;

    public bool IsNonceUsed(Hash32 submitter, ulong nonce) => store.OpenState().Get(ChainStateKeys.Nonce(submitter, nonce)) is not null;
}
