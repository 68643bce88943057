using Ledger.Core;
using Ledger.Core.Governance;

namespace Ledger.Anchor.Tests;

/// <summary>Which blocks are checkpoints: intervalBlocks or intervalSeconds of block time after the base, whichever first, each as in force at the candidate.</summary>
public class CheckpointPlannerTests
{
    private const string ChainId = "ledger-planner-test";

    private static async Task<ulong?> Next(CheckpointPlanner planner, ulong baseHeight) =>
        (await planner.NextAsync(baseHeight, CancellationToken.None))?.Checkpoint.Height;

    [Test]
    public async Task Counts_blocks_from_the_base_and_waits_while_the_chain_is_below_the_next()
    {
        var chain = new FakeCheckpointSource(ChainId, intervalBlocks: 4) { Head = 3 };
        var planner = new CheckpointPlanner(chain);
        Assert.That(await Next(planner, 0), Is.Null, "three blocks: not yet");
        chain.Head = 9;
        Assert.That(await Next(planner, 0), Is.EqualTo(4));
        Assert.That(await Next(planner, 4), Is.EqualTo(8));
        Assert.That(await Next(planner, 6), Is.Null, "from another base: 10 is not there yet");
        chain.Head = 10;
        Assert.That(await Next(planner, 6), Is.EqualTo(10));
    }

    [Test]
    public async Task A_block_whose_time_is_the_interval_after_the_base_is_due_before_the_block_count()
    {
        // A block every 2 s; 7 s: block 4 is 8 s after genesis, the first at or past 7 s.
        var chain = new FakeCheckpointSource(ChainId, intervalBlocks: 100, intervalSeconds: 7) { Head = 50, TimeOf = h => 1_000_000 + (long)h * 2000 };
        var planner = new CheckpointPlanner(chain);
        Assert.That(await Next(planner, 0), Is.EqualTo(4));
        Assert.That(await Next(planner, 4), Is.EqualTo(8));
        // Exactly the interval counts: with 8 s, block 4 (8 s) is due, not block 5.
        chain.Parameters = chain.Parameters with { Genesis = new Dictionary<string, ulong> { [ChainParameter.AnchorIntervalBlocks] = 100, [ChainParameter.AnchorIntervalSeconds] = 8 } };
        Assert.That(await Next(new CheckpointPlanner(chain), 0), Is.EqualTo(4));
    }

    [Test]
    public async Task A_value_voted_for_a_height_counts_from_that_height_only()
    {
        var chain = new FakeCheckpointSource(ChainId, intervalBlocks: 10) { Head = 40 };
        chain.Parameters = chain.Parameters with { Schedule = ParameterSchedule.Empty.With(ChainParameter.AnchorIntervalBlocks, 2, 25) };
        var planner = new CheckpointPlanner(chain);
        Assert.That(await Next(planner, 10), Is.EqualTo(20), "below 25 the genesis value holds");
        Assert.That(await Next(planner, 20), Is.EqualTo(25), "at 25, five blocks are past the new interval of two");
        Assert.That(await Next(planner, 25), Is.EqualTo(27));
    }

    [Test]
    public async Task Reads_no_block_above_the_head_the_interval_was_read_at()
    {
        var chain = new StaleHead(new FakeCheckpointSource(ChainId, intervalBlocks: 3) { Head = 10 }, knownUpTo: 2);
        Assert.That(await Next(new CheckpointPlanner(chain), 0), Is.Null, "block 3 exists, but a vote could still change its interval");
    }

    [Test]
    public async Task Refuses_a_chain_whose_times_go_backwards()
    {
        var chain = new FakeCheckpointSource(ChainId, intervalBlocks: 5) { Head = 10, TimeOf = h => h == 3 ? 0 : 1_000_000 + (long)h };
        var e = await Assert.ThrowsAsync<LedgerException>(() => new CheckpointPlanner(chain).NextAsync(0, CancellationToken.None));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.BlockTimeNotAfterParent));
    }

    [Test]
    public async Task Refuses_a_node_that_serves_no_anchoring_interval()
    {
        var chain = new FakeCheckpointSource(ChainId) { Head = 10, Parameters = new ParameterValues(new Dictionary<string, ulong>(), ParameterSchedule.Empty) };
        var e = await Assert.ThrowsAsync<LedgerException>(() => new CheckpointPlanner(chain).NextAsync(0, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain(ChainParameter.AnchorIntervalBlocks));
    }

    /// <summary>A source whose chain info lags its headers (as a node's does between a commit and the next read).</summary>
    private sealed class StaleHead(FakeCheckpointSource inner, ulong knownUpTo) : ICheckpointSource
    {
        public Task<SourcedCheckpoint?> TryGetAsync(ulong height, CancellationToken cancellationToken) => inner.TryGetAsync(height, cancellationToken);
        public Task<long?> BlockTimeAsync(ulong height, CancellationToken cancellationToken) => inner.BlockTimeAsync(height, cancellationToken);
        public async Task<AnchorInterval> GetIntervalAsync(CancellationToken cancellationToken) =>
            (await inner.GetIntervalAsync(cancellationToken)) with { KnownUpTo = knownUpTo };
    }
}
