using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ledger.Core.Contracts;

/// <summary>
/// A calendar date on the proleptic Gregorian calendar, carried on the wire as the number yyyymmdd
/// (20240131). No time, no zone, no culture: "today" on chain is the block time read in China Standard
/// Time, a fixed UTC+8 without daylight saving, so no time-zone database is consulted.
/// </summary>
public readonly record struct ContractDate : IComparable<ContractDate>
{
    public const int MinYear = 1900;
    public const int MaxYear = 2999;

    private const long MillisecondsPerDay = 86_400_000;
    private const long ChinaStandardTimeOffsetMs = 8 * 3_600_000;
    private static readonly int UnixEpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    private readonly DateOnly _date;

    private ContractDate(DateOnly date) => _date = date;

    public int Year => _date.Year;

    public int Month => _date.Month;

    public int Day => _date.Day;

    /// <summary>Days since 0001-01-01; differences of day numbers are durations in days.</summary>
    public int DayNumber => _date.DayNumber;

    /// <summary>The number of days in this date's month.</summary>
    public int DaysInMonth => DateTime.DaysInMonth(Year, Month);

    public static bool TryCreate(int year, int month, int day, out ContractDate date)
    {
        date = default;
        if (year is < MinYear or > MaxYear || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        date = new ContractDate(new DateOnly(year, month, day));
        return true;
    }

    public static ContractDate Create(int year, int month, int day) =>
        TryCreate(year, month, day, out var date) ? date : throw new ArgumentOutOfRangeException(nameof(day), string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}-{day:D2} is not a date between {MinYear} and {MaxYear}"));

    /// <summary>Parses the wire form yyyymmdd; 20230229 or 20241301 are not dates and are refused.</summary>
    public static bool TryFromNumber(uint yyyymmdd, out ContractDate date) =>
        TryCreate((int)(yyyymmdd / 10000), (int)(yyyymmdd / 100 % 100), (int)(yyyymmdd % 100), out date);

    public static ContractDate FromNumber(uint yyyymmdd) =>
        TryFromNumber(yyyymmdd, out var date) ? date : throw new ArgumentOutOfRangeException(nameof(yyyymmdd), string.Create(CultureInfo.InvariantCulture, $"{yyyymmdd} is not a yyyymmdd date"));

    /// <summary>Parses "yyyy-mm-dd" (exactly that, ASCII digits).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ContractDate date)
    {
        date = default;
        if (text is null || text.Length != 10 || text[4] != '-' || text[7] != '-') return false;
        if (!uint.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || !uint.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !uint.TryParse(text.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            return false;
        return TryCreate((int)y, (int)m, (int)d, out date);
    }

    /// <summary>The calendar date in China Standard Time (UTC+8) of a unix-millisecond instant, such as a block time.</summary>
    public static ContractDate FromUnixMilliseconds(long unixMs)
    {
        var days = Math.DivRem(unixMs + ChinaStandardTimeOffsetMs, MillisecondsPerDay, out var rest);
        if (rest < 0) days--; // floor, for instants before 1970
        return new ContractDate(DateOnly.FromDayNumber(checked((int)(UnixEpochDayNumber + days))));
    }

    public uint ToNumber() => (uint)(Year * 10000 + Month * 100 + Day);

    public ContractDate AddDays(int days) => new(_date.AddDays(days));

    /// <summary>The same day <paramref name="months"/> later; a day that does not exist there becomes the month's last day (31 Jan + 1 month = 28/29 Feb).</summary>
    public ContractDate AddMonths(int months) => new(_date.AddMonths(months));

    public int CompareTo(ContractDate other) => _date.CompareTo(other._date);

    public static bool operator <(ContractDate left, ContractDate right) => left.CompareTo(right) < 0;
    public static bool operator >(ContractDate left, ContractDate right) => left.CompareTo(right) > 0;
    public static bool operator <=(ContractDate left, ContractDate right) => left.CompareTo(right) <= 0;
    public static bool operator >=(ContractDate left, ContractDate right) => left.CompareTo(right) >= 0;

    /// <summary>ISO 8601, yyyy-mm-dd, the same in every culture.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}");
}
