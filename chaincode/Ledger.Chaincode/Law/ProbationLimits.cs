using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Law;

/// <summary>
/// Labour Contract Law art. 19 para. 1: the longest probation a term allows. Term under 3 months or
/// task-based: none; 3 months to under 1 year: 1 month; 1 to under 3 years: 2 months; 3 years and more, or
/// open-ended: 6 months.
/// <para>
/// Month arithmetic, on calendar dates with inclusive first and last days, as contracts are written: a period of
/// N months from day S ends the day before the same day N months later (from 2024-03-01, one month ends on
/// 2024-03-31); when that month has no such day, it ends on that month's last day, the month-end rule of Civil
/// Code art. 202 (from 2024-01-31, one month ends on 2024-02-29). A term "reaches" N months when its last day
/// is on or after that day; a probation "exceeds" N months when its last day is after it.
/// </para>
/// </summary>
public static class ProbationLimits
{
    /// <summary>The last day of a period of <paramref name="months"/> months whose first day is <paramref name="start"/>.</summary>
    public static ContractDate LastDayOfPeriod(ContractDate start, int months)
    {
        var sameDay = start.AddMonths(months);
        return sameDay.Day != start.Day ? sameDay : sameDay.AddDays(-1); // AddMonths clamped to the month's end: no such day
    }

    /// <summary>True if a term from <paramref name="start"/> to <paramref name="end"/> (inclusive) lasts at least <paramref name="months"/> months.</summary>
    public static bool TermReaches(ContractDate start, ContractDate end, int months) => end >= LastDayOfPeriod(start, months);

    /// <summary>The longest probation, in months, that art. 19 allows for these terms (0: none).</summary>
    public static int MaxMonths(ContractTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        switch (terms.Type)
        {
            case ContractType.OpenEnded:
                return 6;
            case ContractType.FixedTerm when terms.End is { } end:
                if (TermReaches(terms.Start, end, 36)) return 6;
                if (TermReaches(terms.Start, end, 12)) return 2;
                return TermReaches(terms.Start, end, 3) ? 1 : 0;
            default:
                return 0; // task-based (art. 19 para. 3), or a fixed term without an end, refused by another rule
        }
    }

    /// <summary>The last day a probation may end on for these terms, or null if no probation is allowed.</summary>
    public static ContractDate? LatestProbationEnd(ContractTerms terms)
    {
        var months = MaxMonths(terms);
        return months == 0 ? null : LastDayOfPeriod(terms.Start, months);
    }
}
