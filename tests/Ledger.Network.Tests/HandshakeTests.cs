using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Proto.V1;

namespace Ledger.Network.Tests;

public class HandshakeTests
{
    private static readonly TestIdentity A = new("a");
    private static readonly TestIdentity B = new("b");
    private static readonly TestIdentity[] Validators = [A, B];

    /// <summary>b (or an impostor) dials a, broadcasting all along; a must refuse it and hand nothing over.</summary>
    private static async Task AssertRefusedByServer(TestPeer dialer, TestPeer server)
    {
        dialer.StartNetwork([server.Endpoint]);
        server.StartNetwork([]);
        dialer.Network.Broadcast(TestMessages.Prepare(dialer.Identity.Id, 1));
        dialer.Network.GossipTransaction(new byte[] { 9, 9, 9 });
        await TestMessages.Eventually(() => server.Network.Metrics.AuthFailures >= 3, "three refused attempts");
        // A message queued after the refusals: two more refused attempts later (so at least one began after it was
        // queued), nothing has been handed over.
        var refused = server.Network.Metrics.AuthFailures;
        dialer.Network.Broadcast(TestMessages.Prepare(dialer.Identity.Id, 2));
        await TestMessages.Eventually(() => server.Network.Metrics.AuthFailures >= refused + 2, "two more refused attempts after the broadcast");
        Assert.That(server.Handlers.Consensus, Is.Empty);
        Assert.That(server.Handlers.Transactions, Is.Empty);
        Assert.That(dialer.Network.Peers[0].Connected, Is.False);
        Assert.That(dialer.Network.Metrics.ConsensusMessagesSent, Is.Zero);
    }

    [Test, CancelAfter(30_000)]
    public async Task A_certificate_not_in_the_validator_set_is_refused()
    {
        var outsider = new TestIdentity("outsider");
        await using var server = await TestPeer.StartAsync(A, Validators);
        await using var dialer = await TestPeer.StartAsync(outsider, Validators);
        await AssertRefusedByServer(dialer, server);
    }

    [Test, CancelAfter(30_000)]
    public async Task A_validator_certificate_with_a_signature_by_another_key_is_refused()
    {
        var impostorKey = RandomNumberGenerator.GetBytes(32);
        await using var server = await TestPeer.StartAsync(A, Validators);
        await using var dialer = await TestPeer.StartAsync(B, Validators, auth: new FakeAuthenticator(B, Validators, impostorKey));
        await AssertRefusedByServer(dialer, server);
    }

    [Test, CancelAfter(30_000)]
    public async Task A_peer_of_another_chain_is_refused_on_both_sides()
    {
        await using var server = await TestPeer.StartAsync(A, Validators);
        await using var dialer = await TestPeer.StartAsync(B, Validators, chainId: "another-chain");
        dialer.StartNetwork([server.Endpoint]);
        server.StartNetwork([]);
        dialer.Network.Broadcast(TestMessages.Prepare(B.Id, 1));
        await TestMessages.Eventually(() => dialer.Network.Metrics.AuthFailures >= 2, "the dialer refuses the server's chain");
        Assert.That(dialer.Network.Peers[0].Connected, Is.False);
        Assert.That(dialer.Network.Peers[0].ValidatorId, Is.Null);

        // And a dialer that ignores the challenge's chain id is refused by the server.
        var (call, challenge) = await RawConnectAsync(server);
        using (call)
        {
            await call.RequestStream.WriteAsync(HelloFrame(B, "another-chain", challenge));
            try
            {
                await call.RequestStream.WriteAsync(new PeerFrame { ConsensusMessage = ByteString.CopyFrom(TestMessages.Prepare(B.Id, 1).Bytes) });
            }
            catch (RpcException)
            {
                // The server refused the Hello and ended the call before this frame was written: it never reached the server.
            }
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
            Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        }
        Assert.That(server.Network.Metrics.AuthFailures, Is.EqualTo(1));
        Assert.That(server.Handlers.Consensus, Is.Empty);
    }

    [Test, CancelAfter(30_000)]
    public async Task Frames_before_a_Hello_are_never_handed_over()
    {
        await using var server = await TestPeer.StartAsync(A, Validators);
        server.StartNetwork([]);
        var (call, _) = await RawConnectAsync(server);
        using (call)
        {
            await call.RequestStream.WriteAsync(new PeerFrame { ConsensusMessage = ByteString.CopyFrom(TestMessages.Prepare(B.Id, 1).Bytes) });
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
            Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        }
        Assert.That(server.Network.Metrics.AuthFailures, Is.EqualTo(1));
        Assert.That(server.Handlers.Consensus, Is.Empty);
    }

    [Test, CancelAfter(30_000)]
    public async Task A_correct_raw_handshake_is_answered_with_a_Hello_the_dialer_can_verify_and_its_frames_are_delivered()
    {
        await using var server = await TestPeer.StartAsync(A, Validators);
        server.StartNetwork([]);
        var (call, challenge) = await RawConnectAsync(server);
        using (call)
        {
            var ownNonce = RandomNumberGenerator.GetBytes(32);
            await call.RequestStream.WriteAsync(HelloFrame(B, TestPeer.ChainId, challenge, ownNonce));
            Assert.That(await call.ResponseStream.MoveNext(), Is.True);
            var hello = call.ResponseStream.Current.Hello;
            var transcript = Handshake.Transcript(dialer: false, TestPeer.ChainId, challenge, ownNonce);
            Assert.That(new FakeAuthenticator(B, Validators).TryAuthenticate(hello.Certificate.Span, transcript, hello.Signature.Span, out var id), Is.True);
            Assert.That(id, Is.EqualTo(A.Id));

            var message = TestMessages.Prepare(B.Id, 3);
            await call.RequestStream.WriteAsync(new PeerFrame { ConsensusMessage = ByteString.CopyFrom(message.Bytes) });
            await TestMessages.Eventually(() => server.Handlers.HasConsensus(message.Bytes), "the frame delivered");
            Assert.That(server.Handlers.Consensus.Single().From, Is.EqualTo(B.Id));
        }
        Assert.That(server.Network.Metrics.AuthFailures, Is.Zero);
    }

    [Test, CancelAfter(30_000)]
    public async Task A_dialer_refuses_a_server_whose_Hello_is_signed_by_another_key()
    {
        await using var server = await TestPeer.StartAsync(A, Validators, auth: new FakeAuthenticator(A, Validators, RandomNumberGenerator.GetBytes(32)));
        await using var dialer = await TestPeer.StartAsync(B, Validators);
        server.StartNetwork([]);
        dialer.StartNetwork([server.Endpoint]);
        dialer.Network.Broadcast(TestMessages.Prepare(B.Id, 1));
        await TestMessages.Eventually(() => dialer.Network.Metrics.AuthFailures >= 2, "the dialer refuses the server");
        Assert.That(dialer.Network.Peers[0].Connected, Is.False);
        Assert.That(dialer.Network.Peers[0].ValidatorId, Is.Null);
        Assert.That(dialer.Network.Metrics.ConsensusMessagesSent, Is.Zero);
    }

    private static PeerFrame HelloFrame(TestIdentity who, string chainId, byte[] serverNonce, byte[]? ownNonce = null)
    {
        ownNonce ??= RandomNumberGenerator.GetBytes(32);
        var signature = new FakeAuthenticator(who, Validators).Sign(Handshake.Transcript(dialer: true, chainId, serverNonce, ownNonce));
        return new PeerFrame
        {
            Hello = new PeerHello
            {
                ChainId = chainId,
                Certificate = ByteString.CopyFrom(who.Certificate),
                Signature = ByteString.CopyFrom(signature),
                Challenge = ByteString.CopyFrom(ownNonce),
            },
        };
    }

    private static readonly List<GrpcChannel> Channels = [];

    [OneTimeTearDown]
    public void DisposeChannels()
    {
        lock (Channels)
        {
            foreach (var c in Channels) c.Dispose();
            Channels.Clear();
        }
    }

    private static async Task<(AsyncDuplexStreamingCall<PeerFrame, PeerFrame> Call, byte[] Challenge)> RawConnectAsync(TestPeer server)
    {
        var channel = GrpcChannel.ForAddress(server.Address);
        lock (Channels) Channels.Add(channel);
        var call = new PeerService.PeerServiceClient(channel).Connect();
        Assert.That(await call.ResponseStream.MoveNext(), Is.True);
        var challenge = call.ResponseStream.Current.Challenge;
        Assert.That(challenge.ChainId, Is.EqualTo(server.ChainIdInUse));
        Assert.That(challenge.Nonce.Length, Is.EqualTo(32));
        return (call, challenge.Nonce.ToByteArray());
    }
}
