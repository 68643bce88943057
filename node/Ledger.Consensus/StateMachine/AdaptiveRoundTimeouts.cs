namespace Ledger.Consensus.StateMachine;

/// <summary>
/// Round timeouts that learn across heights. Within a height round r waits t(r) = base · 2^min(e + r, MaxTimeoutDoublings)
/// (Moniz's exponential timer, as Besu's QBFT). Besu and CometBFT start every height from the configured base again, so
/// a network that is slower than the base (an overloaded machine, a slow disk, a large block) pays the same round
/// changes at every height — each one a ROUND-CHANGE from every validator and a new proposal, more load on a network
/// already behind. Here the extra exponent e carries over: a height decided only after a failed round raises it by
/// one (up to <see cref="ConsensusOptions.AdaptiveTimeoutDoublings"/>), and each run of
/// <see cref="ConsensusOptions.TimeoutShrinkAfter"/> heights decided in round 0 lowers it by one, back to the base.
/// Deterministic: it depends only on the rounds heights were decided in, so every validator that saw the same
/// decisions waits the same, and tests can predict each timer.
/// </summary>
public sealed class AdaptiveRoundTimeouts(ConsensusOptions options)
{
    private int _quickHeights;

    /// <summary>The learned exponent e: 0 is the configured base.</summary>
    public int Doublings { get; private set; }

    public TimeSpan For(uint round)
    {
        var exponent = Math.Min((long)Doublings + round, Math.Max(0, options.MaxTimeoutDoublings));
        return options.BaseRoundTimeout * Math.Pow(2, exponent);
    }

    /// <summary>A height was decided here by consensus in <paramref name="round"/>.</summary>
    public void Decided(uint round)
    {
        if (round > 0)
        {
            _quickHeights = 0;
            Doublings = Math.Min(Doublings + 1, Math.Max(0, options.AdaptiveTimeoutDoublings));
            return;
        }
        if (Doublings == 0 || ++_quickHeights < Math.Max(1, options.TimeoutShrinkAfter)) return;
        _quickHeights = 0;
        Doublings--;
    }
}
