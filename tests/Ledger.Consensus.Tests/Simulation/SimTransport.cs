using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>The transport port of one instance: broadcast to every other instance, send to a validator's instances.</summary>
public sealed class SimTransport(SimNetwork network, int from) : IConsensusTransport
{
    public void Broadcast(SignedMessage message) => network.Broadcast(from, message.Bytes);

    public void Send(Hash32 validator, SignedMessage message) => network.SendToValidator(from, validator, message.Bytes);
}
