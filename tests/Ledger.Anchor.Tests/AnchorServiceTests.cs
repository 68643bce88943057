using Ledger.Core;
using Ledger.Core.Governance;
using Ledger.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Anchor.Tests;

/// <summary>The anchoring service against a real ganache: confirmations, reorgs, restarts and a node that is down.</summary>
public class AnchorServiceTests
{
    private const string ChainId = "ledger-anchor-test";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("ledger-anchor-");

    [TearDown]
    public void RemoveDirectory() => _dir.Delete(recursive: true);

    private AnchorOptions Options(EvmTestChain evm, ulong confirmations = 3) => new()
    {
        Node = "http://127.0.0.1:1",
        Rpc = evm.Node.Url.ToString(),
        EvmChainId = GanacheNode.ChainId,
        Contract = evm.Contract,
        KeyFile = "unused",
        PassphraseEnv = "UNUSED",
        StateFile = Path.Combine(_dir.FullName, "anchor-state.json"),
        Confirmations = confirmations,
        PollMs = 50,
        RetryMinMs = 50,
        RetryMaxMs = 400,
    };

    private sealed class Running(Task task, CancellationTokenSource stop, AnchorStateStore store) : IAsyncDisposable
    {
        public AnchorStateStore Store => store;

        public AnchorState State => store.Load();

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
            }
            stop.Dispose();
        }

        public void ThrowIfFailed()
        {
            if (task.IsFaulted) throw task.Exception!;
        }
    }

    /// <summary>The system clock, counting the waits the service starts (each poll of a pending anchor is one).</summary>
    private sealed class CountingClock : TimeProvider
    {
        private int _waits;

        public int Waits => Volatile.Read(ref _waits);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _waits);
            return System.CreateTimer(callback, state, dueTime, period);
        }
    }

    private static Running Start(AnchorOptions options, ICheckpointSource source, EvmTestChain evm, IAnchorRecorder? recorder = null, TimeProvider? clock = null)
    {
        var store = new AnchorStateStore(options.StateFile);
        var service = new AnchorService(options, source, evm.Chain(), store, NullLogger<AnchorService>.Instance, clock, recorder);
        var stop = new CancellationTokenSource();
        return new Running(Task.Run(() => service.RunAsync(ChainId, stop.Token)), stop, store);
    }

    /// <summary>Mines a block every few ms (confirmations) until the condition holds, or fails at the deadline.</summary>
    private static async Task MineUntil(EvmTestChain evm, Running running, Func<AnchorState, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition(running.State))
        {
            running.ThrowIfFailed();
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}; state: {File.ReadAllText(running.Store.Path)}");
            await evm.Node.MineAsync();
            await Task.Delay(30);
        }
    }

    private static async Task WaitUntil(Running running, Func<AnchorState, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!(File.Exists(running.Store.Path) && condition(running.State)))
        {
            running.ThrowIfFailed();
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(30);
        }
    }

    /// <summary>Every anchored checkpoint is on the contract once, with our hashes, and the writer sent one tx per checkpoint.</summary>
    private static async Task AssertAnchoredExactlyOnce(EvmTestChain evm, FakeCheckpointSource ours, IReadOnlyList<ulong> heights)
    {
        var events = await evm.Chain().GetAnchoredEventsAsync();
        Assert.That(events.Select(e => e.Event.Height), Is.EqualTo(heights), "one Anchored event per checkpoint, in height order");
        foreach (var height in heights)
            Assert.That((await evm.Chain().ReadCheckpointAsync(ChainId, height))!.Checkpoint, Is.EqualTo(ours.At(height)));
        Assert.That(await evm.Node.NonceAsync(evm.WriterAddress), Is.EqualTo((ulong)heights.Count), "txs the writer had mined");
    }

    [Test]
    public async Task Anchors_every_nth_height_once_it_has_the_confirmations()
    {
        using var evm = await EvmTestChain.StartAsync();
        var ours = new FakeCheckpointSource(ChainId) { Head = 12 };
        var clock = new CountingClock();
        await using var running = Start(Options(evm, confirmations: 3), ours, evm, clock: clock);

        // Mined at once (instant mining), but not confirmed until two more blocks are on top.
        await WaitUntil(running, s => s.Pending is { Height: 5 }, "the anchor of 5 to be sent");
        var pending = running.State.Pending!;
        var deadline = DateTime.UtcNow + Deadline;
        while (await evm.Chain().GetReceiptAsync(pending.TxHash) is null)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the anchoring tx was never mined");
            await Task.Delay(30);
        }
        // Three more polls of the mined tx: still one confirmation, so still pending.
        var polled = clock.Waits + 3;
        while (clock.Waits < polled)
        {
            running.ThrowIfFailed();
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the service stopped polling its pending anchor");
            await Task.Delay(30);
        }
        Assert.That(running.State.LastConfirmed, Is.Zero);

        await MineUntil(evm, running, s => s.LastConfirmed == 10, "checkpoints 5 and 10");
        ours.Head = 16;
        await MineUntil(evm, running, s => s.LastConfirmed == 15, "checkpoint 15");

        var state = running.State;
        Assert.That(state.Receipts.Select(r => r.Height), Is.EqualTo(new ulong[] { 5, 10, 15 }));
        Assert.That(state.Receipts[0].TxHash, Is.EqualTo(pending.TxHash));
        Assert.That(state.Receipts[0].Contract, Is.EqualTo(evm.Contract));
        Assert.That(state.Receipts.All(r => r.GasUsed is > 21_000 and < EvmAnchorChain.GasLimit), Is.True);
        await AssertAnchoredExactlyOnce(evm, ours, [5, 10, 15]);
    }

    [Test]
    public async Task Re_sends_the_same_tx_when_a_reorg_drops_its_block()
    {
        using var evm = await EvmTestChain.StartAsync();
        var ours = new FakeCheckpointSource(ChainId) { Head = 5 };
        var snapshot = await evm.Node.SnapshotAsync();
        var before = await evm.Node.BlockNumberAsync();
        await using var running = Start(Options(evm, confirmations: 3), ours, evm);

        await WaitUntil(running, s => s.Pending is { Height: 5 }, "the anchor of 5 to be sent");
        var sent = running.State.Pending!;
        var deadline = DateTime.UtcNow + Deadline;
        while (await evm.Chain().GetReceiptAsync(sent.TxHash) is null)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the anchoring tx was never mined");
            await Task.Delay(30);
        }

        // The unconfirmed block with the anchor goes away (and the tx with it); other blocks take its place.
        await evm.Node.RevertAsync(snapshot);
        Assert.That(await evm.Node.BlockNumberAsync(), Is.EqualTo(before));
        await evm.Node.MineAsync(2);

        await MineUntil(evm, running, s => s.LastConfirmed == 5, "checkpoint 5 after the reorg");
        var receipt = running.State.Receipts.Single();
        Assert.That(receipt.TxHash, Is.EqualTo(sent.TxHash), "the same signed tx, not a new one");
        Assert.That(receipt.ExternalBlock, Is.GreaterThan(before + 2), "mined again, after the blocks that replaced its first one");
        await AssertAnchoredExactlyOnce(evm, ours, [5]);
    }

    [Test]
    public async Task A_restart_mid_flight_finds_its_tx_and_sends_no_other()
    {
        using var evm = await EvmTestChain.StartAsync();
        var ours = new FakeCheckpointSource(ChainId) { Head = 5 };
        var options = Options(evm, confirmations: 3);
        PendingAnchor sent;
        await using (var first = Start(options, ours, evm))
        {
            await WaitUntil(first, s => s.Pending is { Height: 5 }, "the anchor of 5 to be sent");
            sent = first.State.Pending!;
        }
        // Stopped before its tx was confirmed; a new run picks the same tx up.
        Assert.That(new AnchorStateStore(options.StateFile).Load().Pending, Is.EqualTo(sent));
        await using var second = Start(options, ours, evm);
        await MineUntil(evm, second, s => s.LastConfirmed == 5, "checkpoint 5 after the restart");
        Assert.That(second.State.Receipts.Single().TxHash, Is.EqualTo(sent.TxHash));
        await AssertAnchoredExactlyOnce(evm, ours, [5]);
    }

    [Test]
    public async Task A_lost_state_file_does_not_anchor_twice()
    {
        using var evm = await EvmTestChain.StartAsync();
        var ours = new FakeCheckpointSource(ChainId) { Head = 10 };
        var options = Options(evm, confirmations: 1);
        await using (var first = Start(options, ours, evm))
            await MineUntil(evm, first, s => s.LastConfirmed == 10, "checkpoints 5 and 10");
        File.Delete(options.StateFile);

        ours.Head = 15;
        await using var second = Start(options, ours, evm);
        await MineUntil(evm, second, s => s.LastConfirmed == 15, "checkpoint 15");
        await AssertAnchoredExactlyOnce(evm, ours, [5, 10, 15]);
        // The checkpoints the first run anchored are found on the contract, and their receipts read back from its events.
        var receipts = second.State.Receipts;
        Assert.That(receipts.Select(r => r.Height), Is.EqualTo(new ulong[] { 5, 10, 15 }), "every checkpoint keeps its receipt");
        var events = await evm.Chain().GetAnchoredEventsAsync();
        foreach (var receipt in receipts)
        {
            var anchored = events.Single(e => e.Event.Height == receipt.Height);
            Assert.That((receipt.TxHash, receipt.ExternalBlock, receipt.ExternalBlockHash), Is.EqualTo((anchored.Log.TransactionHash, (ulong)anchored.Log.BlockNumber.Value, anchored.Log.BlockHash)));
            Assert.That(receipt.BlockHash, Is.EqualTo(Convert.ToHexStringLower(anchored.Event.BlockHash)));
            Assert.That(receipt.GasUsed, Is.GreaterThan(0UL));
        }
    }

    [Test]
    public async Task An_evm_node_that_is_down_delays_anchoring_and_loses_no_checkpoint()
    {
        var database = Path.Combine(_dir.FullName, "ganache-db");
        using var evm = await EvmTestChain.StartAsync(database);
        var ours = new FakeCheckpointSource(ChainId) { Head = 5 };
        await using var running = Start(Options(evm, confirmations: 2), ours, evm);
        await MineUntil(evm, running, s => s.LastConfirmed == 5, "checkpoint 5");

        evm.Node.Stop();
        ours.Head = 20;
        await Task.Delay(500); // the service meets a closed port for a while (and backs off)
        Assert.That(running.State.LastConfirmed, Is.EqualTo(5));
        await evm.Node.RestartAsync();

        await MineUntil(evm, running, s => s.LastConfirmed == 20, "checkpoints 10, 15 and 20 once the node is back");
        await AssertAnchoredExactlyOnce(evm, ours, [5, 10, 15, 20]);
    }

    [Test]
    public async Task Refuses_to_run_against_another_evm_chain_than_configured()
    {
        using var evm = await EvmTestChain.StartAsync();
        var options = Options(evm) with { EvmChainId = 1 };
        var service = new AnchorService(options, new FakeCheckpointSource(ChainId), new EvmAnchorChain(options.Rpc, 1, evm.Contract, evm.Writer),
            new AnchorStateStore(options.StateFile), NullLogger<AnchorService>.Instance);
        var refusal = await Assert.ThrowsAsync<LedgerException>(() => service.RunAsync(ChainId, CancellationToken.None));
        Assert.That(refusal!.Code, Is.EqualTo(ErrorCode.WrongChainId));
    }

    [Test]
    public async Task Stops_on_a_contract_that_holds_another_checkpoint_for_the_height()
    {
        using var evm = await EvmTestChain.StartAsync();
        var ours = new FakeCheckpointSource(ChainId) { Head = 5 };
        // Someone with the writer key anchored a different block at 5 (our chain was rewritten, or the key leaked).
        var forged = ours.At(5) with { BlockHash = ours.At(6).BlockHash };
        var (raw, _) = await evm.Chain().SignAnchorAsync(forged, 0, 0);
        await evm.Chain().BroadcastAsync(raw);

        var options = Options(evm, confirmations: 1);
        var service = new AnchorService(options, ours, evm.Chain(), new AnchorStateStore(options.StateFile), NullLogger<AnchorService>.Instance);
        using var timeout = new CancellationTokenSource(Deadline);
        var refusal = await Assert.ThrowsAsync<LedgerException>(() => service.RunAsync(ChainId, timeout.Token));
        Assert.That(refusal!.Code, Is.EqualTo(ErrorCode.AnchorConflict));
        Assert.That(await evm.Node.NonceAsync(evm.WriterAddress), Is.EqualTo(1UL), "nothing sent after the forged anchor");
    }

    /// <summary>Our chain's side of recording: fails while "down", then keeps what it was given.</summary>
    private sealed class FakeRecorder : IAnchorRecorder
    {
        public int FailuresLeft;
        public readonly List<AnchorReceipt> Recorded = [];

        public Task<ulong> RecordAsync(AnchorReceipt receipt, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref FailuresLeft) >= 0)
                throw new Ledger.Client.LedgerClientException(Grpc.Core.StatusCode.Unavailable, null, "our node is down");
            lock (Recorded) Recorded.Add(receipt);
            return Task.FromResult(100UL + receipt.Height);
        }
    }

    [Test]
    public async Task Records_each_confirmed_anchor_on_our_chain_once_in_order_and_retries_while_our_node_is_down()
    {
        using var evm = await EvmTestChain.StartAsync();
        var ours = new FakeCheckpointSource(ChainId) { Head = 10 };
        var recorder = new FakeRecorder { FailuresLeft = 3 };
        var options = Options(evm, confirmations: 1);
        await using (var running = Start(options, ours, evm, recorder))
            await MineUntil(evm, running, s => s.RecordedUpTo == 10, "both anchors recorded");
        Assert.That(recorder.Recorded.Select(r => r.Height), Is.EqualTo(new ulong[] { 5, 10 }));
        Assert.That(recorder.Recorded[0].TxHash, Is.EqualTo(new AnchorStateStore(options.StateFile).Load().Receipts[0].TxHash));

        // A restart records nothing twice.
        ours.Head = 15;
        await using (var again = Start(options, ours, evm, recorder))
            await MineUntil(evm, again, s => s.RecordedUpTo == 15, "the third anchor recorded");
        Assert.That(recorder.Recorded.Select(r => r.Height), Is.EqualTo(new ulong[] { 5, 10, 15 }));
    }

    [Test]
    public void The_base_is_the_last_confirmed_checkpoint_or_the_block_below_the_start_height()
    {
        var options = new AnchorOptions
        {
            Node = "http://x", Rpc = "http://x", EvmChainId = 1, Contract = "0x0000000000000000000000000000000000000001",
            KeyFile = "k", StateFile = "s", PassphraseEnv = "P", StartHeight = 25,
        };
        var service = new AnchorService(options, new FakeCheckpointSource(ChainId), null!, null!, NullLogger<AnchorService>.Instance);
        Assert.That(service.BaseHeight(new AnchorState()), Is.EqualTo(24));
        Assert.That(service.BaseHeight(new AnchorState { LastConfirmed = 30 }), Is.EqualTo(30));
        var fromGenesis = new AnchorService(options with { StartHeight = 0 }, new FakeCheckpointSource(ChainId), null!, null!, NullLogger<AnchorService>.Instance);
        Assert.That(fromGenesis.BaseHeight(new AnchorState()), Is.Zero);
    }

    [Test]
    public async Task Anchors_at_whichever_interval_comes_first_and_follows_a_change_from_its_height()
    {
        using var evm = await EvmTestChain.StartAsync();
        // Genesis: 5 blocks or 10 s. A block a second, but 20 s pass before block 7; from height 10 the chain says 3 blocks.
        var ours = new FakeCheckpointSource(ChainId, intervalBlocks: 5, intervalSeconds: 10)
        {
            Head = 19,
            TimeOf = h => FakeCheckpointSource.GenesisTime + (long)h * 1000 + (h >= 7 ? 20_000 : 0),
        };
        ours.Parameters = ours.Parameters with { Schedule = ParameterSchedule.Empty.With(ChainParameter.AnchorIntervalBlocks, 3, 10) };
        var options = Options(evm, confirmations: 1);
        await using (var running = Start(options, ours, evm))
            await MineUntil(evm, running, s => s.LastConfirmed == 19, "checkpoints up to 19");
        // 5: five blocks; 7: its time is 22 s after block 5's; 10: three blocks after 7, the value in force from 10 (five
        // before: 12 without the vote); 13, 16, 19: three blocks each.
        await AssertAnchoredExactlyOnce(evm, ours, [5, 7, 10, 13, 16, 19]);

        // A restart with the state file lost finds the same checkpoints on the contract, sends nothing for them and goes on.
        File.Delete(options.StateFile);
        ours.Head = 22;
        await using (var again = Start(options, ours, evm))
            await MineUntil(evm, again, s => s.LastConfirmed == 22, "checkpoint 22");
        await AssertAnchoredExactlyOnce(evm, ours, [5, 7, 10, 13, 16, 19, 22]);
    }
}
