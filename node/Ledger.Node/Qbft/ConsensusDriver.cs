using System.Diagnostics;
using Ledger.Chain;
using Ledger.Consensus;
using Ledger.Consensus.Events;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Qbft;

/// <summary>
/// The one loop that owns the QBFT engine (CometBFT's receive routine): peer messages, timeouts and pool ticks
/// arrive in one <see cref="ConsensusInbox"/> and are handed to the engine one at a time. While transactions wait in
/// the pool it ticks every block interval, so a proposer that was not ready yet asks again.
/// </summary>
public sealed class ConsensusDriver(LedgerChain chain, ConsensusInbox inbox, Func<QbftEngine> createEngine, TimeSpan blockInterval, TimeProvider time, ILogger<ConsensusDriver> logger)
{
    private QbftEngine? _engine;

    public QbftEngine Engine => _engine ?? throw new InvalidOperationException("the driver has not started");

    /// <summary>The engine's counters (thread-safe), or null before it started.</summary>
    public ConsensusMetrics? Metrics => _engine?.Metrics;

    /// <summary>Records how long each round lasted on this validator (call before <see cref="RunAsync"/>).</summary>
    public void AttachMetrics(System.Diagnostics.Metrics.Meter meter) =>
        _roundSeconds = meter.CreateHistogram<double>("consensus_round_seconds", "s", "How long each consensus round lasted on this validator, by how it ended (committed, round_change).");

    private System.Diagnostics.Metrics.Histogram<double>? _roundSeconds;
    private (ulong Height, uint Round) _observedRound;
    private long _roundStarted;

    /// <summary>After each event: if the engine moved to another (height, round), the previous round has ended.</summary>
    private void ObserveRound()
    {
        var now = (_engine!.Height, _engine.Round);
        if (now == _observedRound) return;
        if (_observedRound.Height != 0)
            _roundSeconds?.Record(System.Diagnostics.Stopwatch.GetElapsedTime(_roundStarted).TotalSeconds,
                new KeyValuePair<string, object?>("outcome", now.Height > _observedRound.Height ? "committed" : "round_change"));
        _observedRound = now;
        _roundStarted = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>Thread-safe: peers, timers and the pool watcher all enqueue here.</summary>
    public void Enqueue(ConsensusEvent e) => inbox.Enqueue(e);

    /// <summary>Runs work on the loop, between two events (so it never races the engine's own commits).</summary>
    public Task RunOnLoopAsync(Action<QbftEngine> work) => inbox.RunOnLoopAsync(work);

    /// <summary>
    /// How far the peers committed. With it (and an engine that holds signing), the driver releases signing once it is
    /// known and keeps the engine's signing floor at it: a started or restored validator catches up first, then signs.
    /// </summary>
    public Func<PeersCommitted.Reading>? PeersCommitted { get; init; }

    /// <summary>How often the peers' heads are read for the signing floor.</summary>
    public static readonly TimeSpan PeerHeadInterval = TimeSpan.FromMilliseconds(200);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _engine = createEngine();
        var ticks = Task.Run(() => TickWhileTransactionsWaitAsync(cancellationToken), CancellationToken.None);
        var floor = PeersCommitted is { } read ? Task.Run(() => FollowPeerHeadsAsync(read, cancellationToken), CancellationToken.None) : Task.CompletedTask;
        Enqueue(new NewHeight(chain.Head.Height + 1));
        try
        {
            await foreach (var item in inbox.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    Run(item, _engine);
                    ObserveRound();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failed WAL append or commit must not be papered over: stop consensus, keep serving reads.
                    logger.LogCritical(ex, "Consensus stopped at height {Height}: {Message}", _engine.Height, ex.Message);
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await ticks;
        await floor;
    }

    /// <summary>Releases a held engine once the peers' heads are known, then raises its signing floor as they commit.</summary>
    private async Task FollowPeerHeadsAsync(Func<PeersCommitted.Reading> read, CancellationToken cancellationToken)
    {
        var engine = _engine!;
        ulong floor = 0;
        var lastLog = Stopwatch.GetTimestamp();
        using var tick = new PeriodicTimer(PeerHeadInterval, time);
        try
        {
            while (await tick.WaitForNextTickAsync(cancellationToken))
            {
                var reading = read();
                if (engine.SigningHeld)
                {
                    if (!reading.Known)
                    {
                        if (Stopwatch.GetElapsedTime(lastLog) >= TimeSpan.FromSeconds(10))
                        {
                            logger.LogInformation("Signing held until the peers' heads are known: {Reported} of the {Needed} needed peers reported", reading.Reported, reading.Needed);
                            lastLog = Stopwatch.GetTimestamp();
                        }
                        continue;
                    }
                    floor = reading.Height;
                    await RunOnLoopAsync(e => e.ReleaseSigning(reading.Height));
                    logger.LogInformation("Signing released: the peers committed up to height {Height}; this validator signs above it (head {Head})", reading.Height, chain.Head.Height);
                }
                else if (reading.Height > floor)
                {
                    floor = reading.Height;
                    await RunOnLoopAsync(e => e.RaiseSigningFloor(reading.Height));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void Run(ConsensusLoopItem item, QbftEngine engine)
    {
        switch (item)
        {
            case ConsensusLoopItem.Event e:
                engine.Handle(e.Value);
                break;
            case ConsensusLoopItem.Work work:
                try
                {
                    work.Action(engine);
                    work.Done.TrySetResult();
                }
                catch (Exception e)
                {
                    work.Done.TrySetException(e);
                }
                break;
            default:
                throw new UnreachableException($"unknown loop item {item.GetType().Name}");
        }
    }

    private async Task TickWhileTransactionsWaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await chain.Pool.WaitForTransactionsAsync(cancellationToken);
                Enqueue(new TransactionsAvailable());
                await Task.Delay(blockInterval / 2, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
