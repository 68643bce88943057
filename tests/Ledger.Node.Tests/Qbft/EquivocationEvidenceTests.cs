using Ledger.Client;
using Ledger.Consensus.Events;
using Ledger.Consensus.Messages;
using Ledger.Core;
using Ledger.Crypto;
using Ledger.Node.Hosting;
using Ledger.Node.Tests.Grpc;
using Ledger.TestKit.Builders;
using Ledger.TestKit.Network;

namespace Ledger.Node.Tests.Qbft;

/// <summary>
/// A validator that signs two different PREPAREs for one height and round is caught by the others' engines, and the
/// evidence reaches an integrator through <c>ListEquivocations</c>, checkable offline with the validator's key.
/// </summary>
[NonParallelizable]
public class EquivocationEvidenceTests
{
    private static readonly TestConsortium Consortium = new(validators: 4, chainId: "gd-equivocation-test");

    private static SignedMessage Prepare(TestParty validator, ulong height, string digestSeed)
    {
        var payload = new ConsensusPayload
        {
            Type = MessageType.Prepare,
            ChainId = Consortium.ChainId,
            Height = height,
            Round = 0,
            Digest = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(digestSeed)),
        };
        var bytes = payload.Encode();
        return new SignedMessage(new SignedPayload(payload, bytes, validator.Certificate!.Id, validator.Key.Sign(MessageSigning.SigningBytes(bytes))));
    }

    [Test, CancelAfter(30_000)]
    public async Task Two_conflicting_prepares_become_evidence_served_over_grpc()
    {
        await using var network = new InProcessConsortium(Consortium);
        network.Start();
        var witness = network.Members[0];
        var culprit = Consortium.Validators[1];
        var source = new DriverEquivocations(witness.Driver);
        Assert.That(await source.ListAsync(CancellationToken.None), Is.Empty, "honest start: no evidence");

        witness.Driver.Enqueue(new MessageReceived(Prepare(culprit, 1, "block A").Bytes));
        witness.Driver.Enqueue(new MessageReceived(Prepare(culprit, 1, "block B").Bytes));
        IReadOnlyList<Node.Grpc.Equivocation> evidence = [];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (evidence.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            evidence = await source.ListAsync(CancellationToken.None);
        }
        Assert.That(evidence, Has.Count.EqualTo(1));

        await using var host = await GrpcTestHost.StartAsync(witness.Chain, source);
        using var client = host.Connect();
        var served = await client.ListEquivocationsAsync();
        Assert.That(served, Has.Count.EqualTo(1));
        var e = served[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Validator, Is.EqualTo(culprit.Certificate!.Id));
            Assert.That(e.Height, Is.EqualTo(1UL));
            Assert.That(e.Round, Is.Zero);
            Assert.That(e.Type, Is.EqualTo("Prepare"));
        }
        // Offline check: both messages decode, differ, and carry the culprit's valid signature.
        var first = SignedPayload.Decode(e.First);
        var second = SignedPayload.Decode(e.Second);
        Assert.That(first.Payload.Digest, Is.Not.EqualTo(second.Payload.Digest));
        foreach (var signed in new[] { first, second })
        {
            Assert.That(signed.Signer, Is.EqualTo(culprit.Certificate.Id));
            Assert.That(culprit.Key.PublicKey.Verify(signed.SigningBytes(), signed.Signature), Is.True);
        }
    }

    [Test]
    public async Task A_solo_node_serves_an_empty_list()
    {
        await using var host = await GrpcTestHost.StartAsync(new FakeLedgerApi(TestNetwork.Create(1)), new DriverEquivocations(null));
        using var client = host.Connect();
        Assert.That(await client.ListEquivocationsAsync(), Is.Empty);
    }
}
