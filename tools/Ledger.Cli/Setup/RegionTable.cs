using System.Text.Json;

namespace Ledger.Cli.Setup;

/// <summary>The province and its prefecture-level cities, from network-config/regions/guangdong.json (embedded).</summary>
public sealed record RegionTable(Region Province, IReadOnlyList<Region> Cities)
{
    public static RegionTable Guangdong { get; } = Load("guangdong.json");

    private static RegionTable Load(string name)
    {
        using var stream = typeof(RegionTable).Assembly.GetManifestResourceStream($"regions/{name}")
                           ?? throw new InvalidOperationException($"region table {name} is not embedded");
        return JsonSerializer.Deserialize<RegionTable>(stream, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase })
               ?? throw new InvalidOperationException($"region table {name} is empty");
    }
}
