using Ledger.Core.Identity;

namespace Ledger.Analytics.Facts;

/// <summary>A 12-digit division code at each of the five levels: province, city, county, town, village.</summary>
public readonly record struct DivisionPath(string Province, string City, string County, string Town, string Village)
{
    public static DivisionPath Of(string code)
    {
        if (!DivisionCode.TryParse(code, out var division) || code.Length != 12)
            throw new AnalyticsException($"'{code}' is not a 12-digit division code");
        return Of(division);
    }

    public static DivisionPath Of(DivisionCode code) => new(
        code.AtLevel(DivisionLevel.Province).Value,
        code.AtLevel(DivisionLevel.City).Value,
        code.AtLevel(DivisionLevel.County).Value,
        code.AtLevel(DivisionLevel.Town).Value,
        code.Value);

    public string At(DivisionLevel level) => level switch
    {
        DivisionLevel.Province => Province,
        DivisionLevel.City => City,
        DivisionLevel.County => County,
        DivisionLevel.Town => Town,
        _ => Village,
    };
}
