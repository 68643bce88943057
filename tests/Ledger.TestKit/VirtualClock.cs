namespace Ledger.TestKit;

/// <summary>
/// The system clock moved by an offset the test sets while it runs: time still passes (timers, timeouts and waits behave),
/// and <see cref="Advance"/> jumps every reader forward at once — months or years, for certificate lifetimes.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward by <paramref name="by"/> (never backward: a clock that goes back is another test).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
