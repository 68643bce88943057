using Ledger.Chain;
using Ledger.Consensus.Events;
using Ledger.Core;
using Ledger.Network;

namespace Ledger.Node.Qbft;

/// <summary>What peers hand this node: consensus messages go to the consensus loop's inbox, gossiped txs to admission, blocks from the store.</summary>
public sealed class PeerHandlersAdapter(LedgerChain chain, ConsensusInbox inbox) : IPeerHandlers
{
    public void OnConsensusMessage(Hash32 from, ReadOnlyMemory<byte> message) => inbox.Enqueue(new MessageReceived(message.ToArray()));

    public void OnTransaction(ReadOnlyMemory<byte> envelope) => chain.SubmitFromPeer(envelope.ToArray());

    public ulong Height => chain.Head.Height;

    public byte[]? GetBlock(ulong height) => chain.Store.GetBlockBytes(height);
}
