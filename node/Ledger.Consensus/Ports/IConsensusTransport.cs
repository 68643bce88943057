using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Consensus.Ports;

/// <summary>
/// Sends this validator's messages. Fire and forget: delivery may fail, the protocol copes. Messages received go back
/// into the engine as <see cref="Events.MessageReceived"/> with the bytes of <see cref="SignedMessage.Bytes"/>.
/// </summary>
public interface IConsensusTransport
{
    /// <summary>To every other validator of the current set (the engine applies its own message itself).</summary>
    void Broadcast(SignedMessage message);

    /// <summary>To one validator (a round catch-up for a peer still in an older round).</summary>
    void Send(Hash32 validator, SignedMessage message);
}
