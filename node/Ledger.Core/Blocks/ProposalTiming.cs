using Ledger.Core.Genesis;

namespace Ledger.Core.Blocks;

/// <summary>
/// The timely predicate of proposer-based timestamps (CometBFT v1 PBTS): a validator accepts a new proposal only if
/// its time t satisfies local − precision − messageDelay ≤ t ≤ local + precision on the validator's own clock when it
/// checks. A block re-proposed with the PREPARE quorum of an earlier round keeps its time and is not checked again:
/// that quorum already attested it. So a committed block's time was accepted by a quorum whose clocks read between
/// t − precision and t + precision + messageDelay: the bound a proof states.
/// </summary>
public sealed record ProposalTiming(TimeSpan Precision, TimeSpan MessageDelay)
{
    public static ProposalTiming From(ConsensusParameters parameters) =>
        new(TimeSpan.FromMilliseconds(parameters.TimestampPrecisionMs), TimeSpan.FromMilliseconds(parameters.MessageDelayMs));

    /// <summary>How far before a block's time an accepting validator's clock may have read (precision).</summary>
    public TimeSpan ClockAheadBound => Precision;

    /// <summary>How far after a block's time an accepting validator's clock may have read (precision + message delay).</summary>
    public TimeSpan ClockBehindBound => Precision + MessageDelay;

    /// <summary>X of "accepted by validators whose clocks were within ±X of it": the larger side.</summary>
    public TimeSpan AttestedBound => ClockBehindBound > ClockAheadBound ? ClockBehindBound : ClockAheadBound;

    public ValidationResult Check(long blockTimeMs, long localTimeMs)
    {
        var latest = localTimeMs + (long)Precision.TotalMilliseconds;
        var earliest = localTimeMs - (long)(Precision + MessageDelay).TotalMilliseconds;
        if (blockTimeMs > latest)
            return ValidationResult.Fail(ErrorCode.UntimelyProposal,
                $"the proposal's time is {blockTimeMs - localTimeMs} ms ahead of this validator's clock (precision {Precision.TotalMilliseconds:0} ms)");
        if (blockTimeMs < earliest)
            return ValidationResult.Fail(ErrorCode.UntimelyProposal,
                $"the proposal's time is {localTimeMs - blockTimeMs} ms behind this validator's clock (precision {Precision.TotalMilliseconds:0} ms + message delay {MessageDelay.TotalMilliseconds:0} ms)");
        return ValidationResult.Valid;
    }
}
