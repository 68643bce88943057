namespace Ledger.Network.Tests;

public class BlockSyncTests
{
    private static byte[] BlockBytes(ulong height) => [.. BitConverter.GetBytes(height), .. Enumerable.Repeat((byte)(height % 251), 100)];

    [Test, CancelAfter(30_000)]
    public async Task FetchBlocks_returns_what_the_serving_peer_has_in_order()
    {
        var peers = await TestPeer.MeshAsync(2);
        try
        {
            var (behind, ahead) = (peers[0], peers[1]);
            for (ulong h = 1; h <= 5; h++) ahead.Handlers.Blocks[h] = BlockBytes(h);
            ahead.Handlers.Height = 5;
            await TestMessages.Eventually(() => behind.Network.HighestPeerHeight == 5, "the head reported");
            Assert.That(behind.Network.Peers[0].Height, Is.EqualTo(5UL));

            var blocks = await behind.Network.FetchBlocksAsync(2, 10, CancellationToken.None);

            Assert.That(blocks, Is.EqualTo(new[] { BlockBytes(2), BlockBytes(3), BlockBytes(4), BlockBytes(5) }));
            Assert.That(await behind.Network.FetchBlocksAsync(6, 10, CancellationToken.None), Is.Empty, "no peer reports a head at 6");
            Assert.That(await behind.Network.FetchBlocksAsync(1, 2, CancellationToken.None), Is.EqualTo(new[] { BlockBytes(1), BlockBytes(2) }));
        }
        finally
        {
            foreach (var p in peers) await p.DisposeAsync();
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task FetchBlocks_stops_at_the_request_cap_and_at_a_gap()
    {
        var peers = await TestPeer.MeshAsync(2);
        try
        {
            var (behind, ahead) = (peers[0], peers[1]);
            for (ulong h = 1; h <= 300; h++) ahead.Handlers.Blocks[h] = BlockBytes(h);
            ahead.Handlers.Blocks.TryRemove(290, out _);
            ahead.Handlers.Height = 300;
            await TestMessages.Eventually(() => behind.Network.HighestPeerHeight == 300, "the head reported");

            var capped = await behind.Network.FetchBlocksAsync(1, 1000, CancellationToken.None);
            var gap = await behind.Network.FetchBlocksAsync(280, 20, CancellationToken.None);

            Assert.That(capped, Has.Count.EqualTo(PeerNetwork.MaxBlocksPerRequest));
            Assert.That(capped[^1], Is.EqualTo(BlockBytes(256)));
            Assert.That(gap, Has.Count.EqualTo(10));
            Assert.That(gap[^1], Is.EqualTo(BlockBytes(289)));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => behind.Network.FetchBlocksAsync(1, 0, CancellationToken.None));
        }
        finally
        {
            foreach (var p in peers) await p.DisposeAsync();
        }
    }
}
