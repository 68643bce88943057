using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ledger.Network.Tests;

public class PeerNetworkTests
{
    [Test, CancelAfter(30_000)]
    public async Task Broadcast_reaches_every_authenticated_peer_with_the_sender_id()
    {
        var peers = await TestPeer.MeshAsync(4);
        try
        {
            var message = TestMessages.Prepare(peers[0].Identity.Id, 7);
            peers[0].Network.Broadcast(message);
            await TestMessages.Eventually(() => peers.Skip(1).All(p => p.Handlers.HasConsensus(message.Bytes)), "every other peer has the message");
            foreach (var p in peers.Skip(1))
                Assert.That(p.Handlers.Consensus.Single().From, Is.EqualTo(peers[0].Identity.Id));
            Assert.That(peers[0].Handlers.Consensus, Is.Empty, "the sender does not receive its own broadcast");
            // A frame is counted once its write returns, which may be after the peer already handled it.
            await TestMessages.Eventually(() => peers[0].Network.Metrics.ConsensusMessagesSent >= 3, "three frames counted as sent");
            Assert.That(peers[0].Network.Metrics.ConsensusMessagesSent, Is.EqualTo(3));
        }
        finally
        {
            foreach (var p in peers) await p.DisposeAsync();
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Send_reaches_only_the_named_validator()
    {
        var peers = await TestPeer.MeshAsync(4);
        try
        {
            var direct = TestMessages.Prepare(peers[0].Identity.Id, 1);
            var marker = TestMessages.Prepare(peers[0].Identity.Id, 2);
            peers[0].Network.Send(peers[2].Identity.Id, direct);
            peers[0].Network.Broadcast(marker);
            // Each stream is FIFO: once a peer has the marker, it would already have had the direct message.
            await TestMessages.Eventually(() => peers.Skip(1).All(p => p.Handlers.HasConsensus(marker.Bytes)), "the marker everywhere");
            Assert.That(peers[2].Handlers.HasConsensus(direct.Bytes), Is.True);
            Assert.That(peers[1].Handlers.HasConsensus(direct.Bytes), Is.False);
            Assert.That(peers[3].Handlers.HasConsensus(direct.Bytes), Is.False);
        }
        finally
        {
            foreach (var p in peers) await p.DisposeAsync();
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task A_peer_added_while_the_network_runs_is_dialled_and_reached_and_one_already_dialled_is_not_added_twice()
    {
        var identities = new[] { new TestIdentity("v0"), new TestIdentity("v1"), new TestIdentity("newcomer") };
        var v0 = await TestPeer.StartAsync(identities[0], identities);
        var v1 = await TestPeer.StartAsync(identities[1], identities);
        var newcomer = await TestPeer.StartAsync(identities[2], identities);
        try
        {
            v0.StartNetwork([v1.Endpoint]);
            v1.StartNetwork([v0.Endpoint]);
            newcomer.StartNetwork([v0.Endpoint, v1.Endpoint]);
            await TestMessages.Eventually(() => v0.Network.Peers.Single().Connected, "v0 dials v1");
            // Before the reload, v0 cannot send to the newcomer: it dials only the peers it was started with.
            v0.Network.Send(identities[2].Id, TestMessages.Prepare(identities[0].Id, 1));
            Assert.That(v0.Network.Metrics.Dropped(DropReason.UnknownPeer), Is.EqualTo(1));

            Assert.That(v0.Network.AddPeers([v1.Endpoint, newcomer.Endpoint]), Is.EqualTo(new[] { "newcomer" }));
            Assert.That(v0.Network.AddPeers([newcomer.Endpoint]), Is.Empty, "already dialled");
            await TestMessages.Eventually(() => v0.Network.Peers.All(p => p.Connected), "v0 dials the newcomer");
            var message = TestMessages.Prepare(identities[0].Id, 2);
            v0.Network.Send(identities[2].Id, message);
            await TestMessages.Eventually(() => newcomer.Handlers.HasConsensus(message.Bytes), "the newcomer has the message");
            Assert.That(v0.Network.Peers.Select(p => p.Name), Is.EqualTo(new[] { "v1", "newcomer" }));
        }
        finally
        {
            await v0.DisposeAsync();
            await v1.DisposeAsync();
            await newcomer.DisposeAsync();
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Send_to_a_validator_no_peer_authenticated_as_is_dropped_and_counted()
    {
        var peers = await TestPeer.MeshAsync(2);
        try
        {
            var stranger = new TestIdentity("stranger");
            Assert.DoesNotThrow(() => peers[0].Network.Send(stranger.Id, TestMessages.Prepare(peers[0].Identity.Id, 1)));
            Assert.That(peers[0].Network.Metrics.Dropped(DropReason.UnknownPeer), Is.EqualTo(1));
        }
        finally
        {
            foreach (var p in peers) await p.DisposeAsync();
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Gossip_delivers_transactions_and_drops_oversized_ones()
    {
        var peers = await TestPeer.MeshAsync(3);
        try
        {
            byte[] tx = [1, 2, 3, 4, 5];
            var oversized = new byte[PeerNetwork.MaxTransactionBytes + 1];
            peers[1].Network.GossipTransaction(oversized);
            peers[1].Network.GossipTransaction(tx);
            await TestMessages.Eventually(() => peers[0].Handlers.Transactions.Count == 1 && peers[2].Handlers.Transactions.Count == 1, "the tx at both others");
            Assert.That(peers[0].Handlers.Transactions.Single(), Is.EqualTo(tx));
            Assert.That(peers[2].Handlers.Transactions.Single(), Is.EqualTo(tx));
            Assert.That(peers[1].Handlers.Transactions, Is.Empty);
            Assert.That(peers[1].Network.Metrics.Dropped(DropReason.Oversize), Is.EqualTo(1));
        }
        finally
        {
            foreach (var p in peers) await p.DisposeAsync();
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task A_restarted_peer_is_reconnected_and_receives_again()
    {
        var peers = await TestPeer.MeshAsync(2);
        var a = peers[0];
        var b = peers[1];
        TestPeer? b2 = null;
        try
        {
            var before = TestMessages.Prepare(a.Identity.Id, 1);
            a.Network.Broadcast(before);
            await TestMessages.Eventually(() => b.Handlers.HasConsensus(before.Bytes), "b has the first message");

            var port = b.Port;
            await b.DisposeAsync();
            await TestMessages.Eventually(() => !a.Network.Peers[0].Connected, "a sees b gone");

            b2 = await TestPeer.StartAsync(b.Identity, [a.Identity, b.Identity], port);
            b2.StartNetwork([a.Endpoint]);
            await TestMessages.Eventually(() => a.Network.Peers[0].Connected, "a reconnected to the restarted b", 20);
            var after = TestMessages.Prepare(a.Identity.Id, 2);
            a.Network.Broadcast(after);
            await TestMessages.Eventually(() => b2.Handlers.HasConsensus(after.Bytes), "the restarted b has the new message");
            Assert.That(a.Network.Metrics.Reconnects, Is.GreaterThan(0));
            Assert.That(a.Network.Metrics.Connections, Is.GreaterThanOrEqualTo(2));
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            if (b2 is not null) await b2.DisposeAsync();
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task A_dead_peer_does_not_block_broadcast_to_the_others()
    {
        // A black hole: accepts TCP connections and never answers, so a dial to it hangs until its timeouts.
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true) accepted.Add(await blackHole.AcceptSocketAsync());
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        });
        var dead = new PeerEndpoint("dead", new Uri($"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}"));

        var identities = new[] { new TestIdentity("a"), new TestIdentity("b") };
        var a = await TestPeer.StartAsync(identities[0], identities);
        var b = await TestPeer.StartAsync(identities[1], identities);
        try
        {
            const int capacity = 64;
            a.StartNetwork([dead, b.Endpoint], o => o with { SendQueueCapacity = capacity });
            b.StartNetwork([a.Endpoint]);
            await TestMessages.Eventually(() => a.Network.Peers[1].Connected, "a connected to b");

            var messages = Enumerable.Range(1, 200).Select(h => TestMessages.Prepare(a.Identity.Id, (ulong)h)).ToArray();
            var clock = Stopwatch.StartNew();
            foreach (var m in messages) a.Network.Broadcast(m);
            clock.Stop();

            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "Broadcast never waits for a peer (a blocked send would hang on the black hole)");
            await TestMessages.Eventually(() => b.Handlers.HasConsensus(messages[^1].Bytes), "b has the newest message");
            Assert.That(a.Network.Peers[0].Connected, Is.False);
            Assert.That(a.Network.Metrics.Dropped(DropReason.QueueFull), Is.GreaterThanOrEqualTo(messages.Length - capacity),
                "the dead peer's queue keeps only the newest frames");
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            blackHole.Stop();
            await accepting;
            foreach (var s in accepted) s.Dispose();
        }
    }
}
