using System.Globalization;

namespace Ledger.Client.Evidence;

/// <summary>
/// What proposer-based timestamps (PBTS) let a proof say about a block's time: a quorum of the validators accepted it
/// as timely on their own clocks — each clock read between <c>Time − Precision</c> and <c>Time + Precision +
/// MessageDelay</c> when it checked the proposal (a block re-proposed in a later round keeps the time the first quorum
/// accepted). Precision and message delay come from genesis, never from the proof.
/// </summary>
public sealed record AttestedTime(DateTimeOffset Time, int Quorum, int Validators, TimeSpan Precision, TimeSpan MessageDelay)
{
    /// <summary>X of "within ±X": the larger side of the window, precision + message delay.</summary>
    public TimeSpan Bound => Precision + MessageDelay;

    /// <summary>The one-line statement the CLI prints and the report carries.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"this block's time was accepted by at least {Quorum} of {Validators} validators whose clocks were within ±{Bound.TotalSeconds:0.###} s of it (genesis: precision {Precision.TotalSeconds:0.###} s, message delay {MessageDelay.TotalSeconds:0.###} s)");
}
