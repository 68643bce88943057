namespace Ledger.Chain.Pool;

/// <summary>
/// Txs per second the chain committed recently: the txs of the blocks committed within the horizon over the time they
/// took (from the commit before the first of them). Thread-safe. A chain that committed no tx in the horizon has rate 0.
/// </summary>
public sealed class CommitRate(TimeSpan horizon)
{
    private readonly Lock _lock = new();
    private readonly Queue<(long Ticks, int Txs)> _blocks = new();
    private long _previousTicks = -1;

    /// <summary>A block of <paramref name="txs"/> txs committed at <paramref name="at"/>.</summary>
    public void Record(int txs, DateTimeOffset at)
    {
        lock (_lock)
        {
            _blocks.Enqueue((at.UtcTicks, txs));
            Trim(at.UtcTicks);
        }
    }

    public double TxPerSecond(DateTimeOffset now)
    {
        lock (_lock)
        {
            Trim(now.UtcTicks);
            if (_blocks.Count == 0) return 0;
            var from = _previousTicks >= 0 ? _previousTicks : _blocks.Peek().Ticks;
            var seconds = Math.Max(TimeSpan.FromTicks(now.UtcTicks - from).TotalSeconds, 1);
            return _blocks.Sum(b => b.Txs) / seconds;
        }
    }

    private void Trim(long now)
    {
        while (_blocks.Count > 0 && now - _blocks.Peek().Ticks > horizon.Ticks) _previousTicks = _blocks.Dequeue().Ticks;
    }
}
