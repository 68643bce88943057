using System.Text.Json;

namespace Ledger.Core.Identity;

/// <summary>
/// The human-resources bureau that speaks for a division, as a clerk names it: the province's department
/// (广东省人力资源和社会保障厅) or a city's bureau (广州市人力资源和社会保障局), from network-config/regions (embedded).
/// Genesis gives its validators these names; a validator voted in later gets the same name from its certificate's
/// division, so explorers and reports name both alike.
/// </summary>
public static class BureauNames
{
    private static readonly Dictionary<DivisionCode, string> Names = Load("guangdong.json");

    /// <summary>The bureau of a province or city division; null for a division no bureau in the table speaks for.</summary>
    public static string? Of(DivisionCode division) => Names.GetValueOrDefault(division);

    /// <summary>As <see cref="Of(DivisionCode)"/> for a 12-digit (or 6-digit) code; null when it does not parse.</summary>
    public static string? Of(string? division) => DivisionCode.TryParse(division, out var code) ? Of(code) : null;

    private static Dictionary<DivisionCode, string> Load(string name)
    {
        using var stream = typeof(BureauNames).Assembly.GetManifestResourceStream($"regions/{name}")
                           ?? throw new InvalidOperationException($"region table {name} is not embedded");
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        var names = new Dictionary<DivisionCode, string>();
        var province = root.GetProperty("province");
        names[DivisionCode.Parse(province.GetProperty("code").GetString()!)] = $"{province.GetProperty("name").GetString()}人力资源和社会保障厅";
        foreach (var city in root.GetProperty("cities").EnumerateArray())
            names[DivisionCode.Parse(city.GetProperty("code").GetString()!)] = $"{city.GetProperty("name").GetString()}人力资源和社会保障局";
        return names;
    }
}
