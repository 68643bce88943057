namespace Ledger.Analytics.Statistics;

/// <summary>Where <see cref="StatisticsReader"/> counts: the monthly rollup when it can answer and is maintained (Auto), or one source by force.</summary>
public enum StatisticsSource
{
    Auto,
    Facts,
    Rollup,
}
