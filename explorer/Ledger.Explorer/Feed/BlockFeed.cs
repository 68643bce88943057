using System.Text.Json;
using System.Threading.Channels;
using Ledger.Client;
using Ledger.Crypto;
using Microsoft.Extensions.Logging;

namespace Ledger.Explorer.Feed;

/// <summary>
/// One WatchBlocks stream from the node, shared by every browser: keeps the last blocks for the overview and fans each
/// new block out to the subscribed server-sent-event streams. When the node goes away it says so (a <c>status</c> event
/// with <c>reachable: false</c>) and reconnects until the node is back, resuming after the last block it saw.
/// </summary>
public sealed class BlockFeed : IAsyncDisposable
{
    private const int SubscriberBuffer = 256;

    private readonly LedgerClient _client;
    private readonly int _window;
    private readonly TimeSpan _reconnectDelay;
    private readonly ILogger _logger;
    private readonly LinkedList<BlockSummary> _recent = new();
    private readonly HashSet<Channel<FeedEvent>> _subscribers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task _loop = Task.CompletedTask;
    private bool _reachable;
    private bool _everConnected;
    private string? _lastError;

    public BlockFeed(LedgerClient client, int window, TimeSpan reconnectDelay, ILogger logger)
    {
        _client = client;
        _window = Math.Max(1, window);
        _reconnectDelay = reconnectDelay;
        _logger = logger;
    }

    /// <summary>Whether the stream from the node is up (false until the first connection, and while the node is away).</summary>
    public bool NodeReachable
    {
        get { lock (_lock) return _reachable; }
    }

    public string? LastError
    {
        get { lock (_lock) return _lastError; }
    }

    /// <summary>The recent blocks, newest first.</summary>
    public IReadOnlyList<BlockSummary> Recent()
    {
        lock (_lock) return _recent.ToArray();
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>A stream of events for one browser, beginning with the current status; dispose the handle to leave.</summary>
    public (ChannelReader<FeedEvent> Events, IDisposable Subscription) Subscribe()
    {
        var channel = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(SubscriberBuffer) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            _subscribers.Add(channel);
            channel.Writer.TryWrite(StatusEvent());
        }
        return (channel.Reader, new Subscription(this, channel));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        lock (_lock)
        {
            foreach (var s in _subscribers) s.Writer.TryComplete();
            _subscribers.Clear();
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var info = await _client.GetChainInfoAsync(cancellationToken);
                ulong from;
                lock (_lock)
                {
                    from = _recent.First is { } newest ? newest.Value.Height + 1 : info.Height >= (ulong)_window ? info.Height - (ulong)_window + 1 : 1;
                    if (info.Height == 0) from = 0;
                }
                SetReachable(true, null);
                await foreach (var block in _client.WatchBlocksAsync(from, cancellationToken))
                {
                    var summary = new BlockSummary(
                        block.Header.Height,
                        block.Header.ComputeHash(Sm3Hasher.Instance),
                        DateTimeOffset.FromUnixTimeMilliseconds(block.Header.Timestamp),
                        block.Transactions.Count,
                        block.Header.Proposer,
                        block.Commit?.Seals.Select(s => s.Validator).ToArray() ?? []);
                    Add(summary);
                }
                SetReachable(false, "the node ended the block stream");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is LedgerClientException or Core.LedgerException or IOException or HttpRequestException)
            {
                SetReachable(false, e.Message);
            }
            try
            {
                await Task.Delay(_reconnectDelay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Add(BlockSummary block)
    {
        lock (_lock)
        {
            if (_recent.First is { } newest && block.Height <= newest.Value.Height) return;
            _recent.AddFirst(block);
            while (_recent.Count > _window) _recent.RemoveLast();
            Broadcast(new FeedEvent("block", JsonSerializer.Serialize(new
            {
                height = block.Height,
                hash = block.Hash.ToHex(),
                time = block.Time,
                txCount = block.TxCount,
                seals = block.Sealers.Count,
            }, ExplorerJson.Options)));
        }
    }

    private void SetReachable(bool reachable, string? error)
    {
        lock (_lock)
        {
            var changed = reachable != _reachable || !_everConnected;
            _reachable = reachable;
            _everConnected = true;
            _lastError = error;
            if (changed) Broadcast(StatusEvent());
        }
        if (!reachable && _logger.IsEnabled(LogLevel.Information)) _logger.LogInformation("node unreachable: {Error}", error);
    }

    private FeedEvent StatusEvent() => new("status", JsonSerializer.Serialize(new
    {
        reachable = _reachable,
        height = _recent.First?.Value.Height,
        error = _reachable ? null : _lastError,
    }, ExplorerJson.Options));

    private void Broadcast(FeedEvent e)
    {
        foreach (var s in _subscribers) s.Writer.TryWrite(e);
    }

    private sealed class Subscription(BlockFeed feed, Channel<FeedEvent> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._lock) feed._subscribers.Remove(channel);
            channel.Writer.TryComplete();
        }
    }
}
