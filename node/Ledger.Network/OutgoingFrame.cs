using Google.Protobuf;
using Ledger.Proto.V1;

namespace Ledger.Network;

/// <summary>A queued frame: one payload shared by every peer's queue, one <see cref="PeerFrame"/> built per write.</summary>
internal readonly record struct OutgoingFrame(ByteString Payload, bool Consensus)
{
    public PeerFrame ToFrame() => Consensus ? new PeerFrame { ConsensusMessage = Payload } : new PeerFrame { Transaction = Payload };
}
