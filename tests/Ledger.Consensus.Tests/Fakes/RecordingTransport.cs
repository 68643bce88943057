using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Fakes;

/// <summary>Keeps what the engine sent, for unit tests that assert on the messages.</summary>
public sealed class RecordingTransport : IConsensusTransport
{
    public List<SignedMessage> Broadcasts { get; } = [];

    public List<(Hash32 To, SignedMessage Message)> Direct { get; } = [];

    public void Broadcast(SignedMessage message) => Broadcasts.Add(message);

    public void Send(Hash32 validator, SignedMessage message) => Direct.Add((validator, message));

    public IEnumerable<SignedMessage> OfType(MessageType type) => Broadcasts.Where(m => m.Type == type);
}
