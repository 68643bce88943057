using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>The transport port of one instance: broadcast to every other instance, send to a validator's instances.</summary>
public sealed class SimTransport(SimNetwork network, int from) : IConsensusTransport
{
    /// <summary>Debugging aid: sees every message an honest instance sends.</summary>
    public static Action<int, SignedMessage>? Trace { get; set; }

    public void Broadcast(SignedMessage message)
    {
        Trace?.Invoke(from, message);
        network.Broadcast(from, message.Bytes);
    }

    public void Send(Hash32 validator, SignedMessage message) => network.SendToValidator(from, validator, message.Bytes);
}
