using System.Text.Json;
using Ledger.Core.Genesis;

namespace Ledger.Cli.Setup;

/// <summary>A named network shape from network-config/presets.json.</summary>
public sealed record NetworkPreset
{
    public required string Description { get; init; }
    public required string ChainIdPrefix { get; init; }
    public int? DefaultValidators { get; init; }
    public required int BasePort { get; init; }
    public required int CertificateYears { get; init; }
    public required ConsensusParameters Consensus { get; init; }

    /// <summary>The anchoring interval its genesis sets (absent: the default).</summary>
    public AnchoringParameters? Anchoring { get; init; }

    public static IReadOnlyDictionary<string, NetworkPreset> All { get; } = Load();

    private static Dictionary<string, NetworkPreset> Load()
    {
        using var stream = typeof(NetworkPreset).Assembly.GetManifestResourceStream("presets.json")
                           ?? throw new InvalidOperationException("presets.json is not embedded");
        return JsonSerializer.Deserialize<Dictionary<string, NetworkPreset>>(stream, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase })
               ?? throw new InvalidOperationException("presets.json is empty");
    }
}
