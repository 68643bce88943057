using Grpc.Core;
using Ledger.Proto.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Network.Tests;

/// <summary>Consensus messages go ahead of tx gossip: on the way out (their own queue, written first) and on the way in (admission off the read loop).</summary>
public class PriorityTests
{
    /// <summary>Records what the write loop writes and cancels it after a number of frames.</summary>
    private sealed class RecordingWriter(int stopAfter, CancellationTokenSource stop) : IClientStreamWriter<PeerFrame>
    {
        public List<PeerFrame> Frames { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(PeerFrame message)
        {
            Frames.Add(message);
            if (Frames.Count(f => f.KindCase != PeerFrame.KindOneofCase.Status) >= stopAfter) stop.Cancel();
            return Task.CompletedTask;
        }

        public Task WriteAsync(PeerFrame message, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return WriteAsync(message);
        }

        public Task CompleteAsync() => Task.CompletedTask;
    }

    [Test, CancelAfter(30_000)]
    public async Task A_consensus_frame_queued_after_a_flood_of_gossip_is_written_first()
    {
        var peers = await TestPeer.MeshAsync(2);
        try
        {
            var options = new PeerNetworkOptions(TestPeer.ChainId, []);
            await using var connection = new PeerConnection(new PeerEndpoint("nobody", new Uri("http://127.0.0.1:9")), peers[0].Network, options, NullLogger.Instance);
            for (var i = 0; i < 500; i++) connection.Enqueue(new OutgoingFrame(Google.Protobuf.ByteString.CopyFrom([(byte)i, 1, 2]), Consensus: false));
            var prepare = TestMessages.Prepare(peers[0].Identity.Id, 3);
            connection.Enqueue(new OutgoingFrame(Google.Protobuf.ByteString.CopyFrom(prepare.Bytes), Consensus: true));
            Assert.That(connection.Queued, Is.EqualTo((1, 500)));

            using var stop = new CancellationTokenSource();
            var writer = new RecordingWriter(stopAfter: 3, stop);
            await Assert.CatchAsync<OperationCanceledException>(() => connection.WriteLoopAsync(writer, stop.Token));

            var data = writer.Frames.Where(f => f.KindCase != PeerFrame.KindOneofCase.Status).ToList();
            Assert.That(data[0].KindCase, Is.EqualTo(PeerFrame.KindOneofCase.ConsensusMessage), "the PREPARE before 500 gossiped txs queued ahead of it");
            Assert.That(data.Skip(1).All(f => f.KindCase == PeerFrame.KindOneofCase.Transaction), Is.True);
        }
        finally
        {
            foreach (var p in peers) await p.DisposeAsync();
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task A_validator_stuck_admitting_gossip_still_reads_the_consensus_messages_behind_it()
    {
        var peers = await TestPeer.MeshAsync(2);
        using var hold = new ManualResetEventSlim(false);
        try
        {
            peers[1].Handlers.HoldTransactions = hold;
            for (var i = 0; i < 20; i++) peers[0].Network.GossipTransaction(new byte[] { (byte)i, 7, 7 });
            var prepare = TestMessages.Prepare(peers[0].Identity.Id, 5);
            peers[0].Network.Broadcast(prepare);

            await TestMessages.Eventually(() => peers[1].Handlers.HasConsensus(prepare.Bytes), "the PREPARE while admission is stuck");
            Assert.That(peers[1].Handlers.Transactions, Is.Empty, "admission is still stuck");

            hold.Set();
            await TestMessages.Eventually(() => peers[1].Handlers.Transactions.Count == 20, "every gossiped tx once admission moves again");
        }
        finally
        {
            hold.Set();
            foreach (var p in peers) await p.DisposeAsync();
        }
    }
}
