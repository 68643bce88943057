namespace Ledger.TestKit;

/// <summary>The system clock read with a fixed offset: a validator whose clock runs fast (positive) or slow (negative).</summary>
public sealed class SkewedClock(TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset { get; } = offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
