namespace Ledger.Network;

/// <summary>What the authenticated streams from one validator told us: its head and when it last spoke.</summary>
internal sealed class InboundPeer
{
    private long _height = -1;
    private long _lastSeenTicks;
    private int _streams;

    public ulong? Height
    {
        get
        {
            var h = Interlocked.Read(ref _height);
            return h < 0 ? null : (ulong)h;
        }
    }

    public DateTimeOffset? LastSeen
    {
        get
        {
            var t = Interlocked.Read(ref _lastSeenTicks);
            return t == 0 ? null : new DateTimeOffset(t, TimeSpan.Zero);
        }
    }

    public bool Connected => Volatile.Read(ref _streams) > 0;

    public void Seen() => Interlocked.Exchange(ref _lastSeenTicks, DateTimeOffset.UtcNow.UtcTicks);

    /// <summary>Heights only go up: a stale status from an older stream never lowers what we know.</summary>
    public void Report(ulong height)
    {
        var h = (long)Math.Min(height, long.MaxValue);
        long current;
        do
        {
            current = Interlocked.Read(ref _height);
            if (h <= current) return;
        } while (Interlocked.CompareExchange(ref _height, h, current) != current);
    }

    public void StreamOpened() => Interlocked.Increment(ref _streams);

    public void StreamClosed() => Interlocked.Decrement(ref _streams);
}
