using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>
/// A Byzantine proposer's transport: each of its proposals goes to half of the others, and a second, different block
/// for the same height and round (validly signed) goes to the other half; a little later one node of the first half
/// also gets the second block, so someone holds both. Everything else it sends honestly.
/// </summary>
public sealed class EquivocatingTransport(SimNetwork network, VirtualScheduler scheduler, int from, IConsensusSigner signer, Random random) : IConsensusTransport
{
    public int Equivocations { get; private set; }

    public void Broadcast(SignedMessage message)
    {
        if (message.Type != MessageType.Proposal || FakeBlock.Parse(message.Block!) is not { } block)
        {
            network.Broadcast(from, message.Bytes);
            return;
        }
        var twin = Forge(message, block with { Author = block.Author + "/evil" });
        var others = network.Nodes.Select(n => n.Index).Where(i => i != from).OrderBy(_ => random.Next()).ToList();
        var half = others.Count / 2;
        for (var i = 0; i < others.Count; i++) network.Deliver(from, others[i], i < half ? message.Bytes : twin.Bytes);
        var witness = others[0];
        scheduler.After(random.Next(1, 60), () => network.Deliver(from, witness, twin.Bytes));
        Equivocations++;
    }

    public void Send(Hash32 validator, SignedMessage message) => network.SendToValidator(from, validator, message.Bytes);

    private SignedMessage Forge(SignedMessage original, FakeBlock content)
    {
        var block = content.ToProposed();
        var payload = original.Payload with { Digest = block.Hash };
        var bytes = payload.Encode();
        var signed = new SignedPayload(payload, bytes, signer.ValidatorId, signer.Sign(MessageSigning.SigningBytes(bytes)));
        return new SignedMessage(signed, block.Bytes, original.RoundChanges, original.Prepares);
    }
}
