using System.Diagnostics.CodeAnalysis;

namespace Ledger.Core.Identity;

/// <summary>
/// A 12-digit statistical division code: province 2, city 2, county 2, town 3, village 3 digits. A code
/// is at the level of its last non-zero group; 440000000000 is the province of Guangdong, 440100000000
/// the city of Guangzhou. Six-digit administrative codes (440100) are accepted and padded.
/// </summary>
public readonly record struct DivisionCode
{
    private readonly long _value;

    private DivisionCode(long value) => _value = value;

    public string Value => _value.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    public string Province => Value[..2];

    public DivisionLevel Level
    {
        get
        {
            var v = Value;
            if (v[9..] != "000") return DivisionLevel.Village;
            if (v[6..9] != "000") return DivisionLevel.Town;
            if (v[4..6] != "00") return DivisionLevel.County;
            return v[2..4] != "00" ? DivisionLevel.City : DivisionLevel.Province;
        }
    }

    /// <summary>The code of the enclosing division at <paramref name="level"/> (itself if it is already at or above it).</summary>
    public DivisionCode AtLevel(DivisionLevel level)
    {
        var keep = level switch
        {
            DivisionLevel.Province => 2,
            DivisionLevel.City => 4,
            DivisionLevel.County => 6,
            DivisionLevel.Town => 9,
            _ => 12,
        };
        var v = Value;
        return new DivisionCode(long.Parse(v[..keep].PadRight(12, '0'), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>True if <paramref name="other"/> lies inside this division (or is this division).</summary>
    public bool Contains(DivisionCode other) => other.AtLevel(Level) == this;

    public static bool TryParse([NotNullWhen(true)] string? text, out DivisionCode code)
    {
        code = default;
        if (text is null || (text.Length != 6 && text.Length != 12)) return false;
        foreach (var c in text)
            if (c is < '0' or > '9') return false;
        var padded = text.PadRight(12, '0');
        // Province codes run 11..82 (GB/T 2260); a group of zeros may only be followed by zeros.
        var province = (padded[0] - '0') * 10 + (padded[1] - '0');
        if (province is < 11 or > 82) return false;
        // A zero group may only be followed by zeros, except the county group: cities without counties
        // (Dongguan 4419, Zhongshan 4420) number their towns directly under the city, as 441900003000.
        var cityIsZero = padded.AsSpan(2, 2).IndexOfAnyExcept('0') < 0;
        var townIsZero = padded.AsSpan(6, 3).IndexOfAnyExcept('0') < 0;
        var villageIsZero = padded.AsSpan(9, 3).IndexOfAnyExcept('0') < 0;
        var countyIsZero = padded.AsSpan(4, 2).IndexOfAnyExcept('0') < 0;
        if (cityIsZero && !(countyIsZero && townIsZero && villageIsZero)) return false;
        if (townIsZero && !villageIsZero) return false;
        code = new DivisionCode(long.Parse(padded, System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }

    public static DivisionCode Parse(string text) =>
        TryParse(text, out var code) ? code : throw new LedgerException(ErrorCode.InvalidDivisionCode, $"'{text}' is not a 6- or 12-digit division code");

    public override string ToString() => Value;
}
