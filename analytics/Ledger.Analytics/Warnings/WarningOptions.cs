using Ledger.Core.Identity;

namespace Ledger.Analytics.Warnings;

/// <summary>
/// When warnings are raised. Art. 41: an employer dissolving for economic reasons (<c>Art41Layoff</c>) at least
/// <see cref="LayoffCount"/> workers within <see cref="LayoffWindow"/>, or fewer but at least
/// <see cref="LayoffSharePercent"/> % of its workforce (those in force plus those laid off in the window). Rates: the
/// dissolutions and terminations in a division (at <see cref="RateLevel"/>) in the last <see cref="RateWindow"/>
/// against its own average over the <see cref="BaselineWindows"/> windows before, checked once a day of block time.
/// </summary>
public sealed record WarningOptions
{
    public int LayoffCount { get; init; } = 20;
    public int LayoffSharePercent { get; init; } = 10;
    public TimeSpan LayoffWindow { get; init; } = TimeSpan.FromDays(30);

    public DivisionLevel RateLevel { get; init; } = DivisionLevel.City;
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromDays(30);
    public int BaselineWindows { get; init; } = 6;
    /// <summary>The recent window must reach this percentage of the baseline per window (150: half as many again).</summary>
    public int RateRisePercent { get; init; } = 150;
    /// <summary>Fewer closures than this in the window never warn, however low the baseline.</summary>
    public int RateMinimum { get; init; } = 30;
}
