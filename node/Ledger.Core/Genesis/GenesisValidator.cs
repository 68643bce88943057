using System.Text.Json.Serialization;

namespace Ledger.Core.Genesis;

/// <summary>
/// A validator of the initial set: its name (a short id), its region, its certificate (PEM), and the bureau that runs
/// it as a clerk would name it (e.g. 广州市人力资源和社会保障局), shown in explorers and reports.
/// </summary>
public sealed record GenesisValidator(string Name, string Division, string Certificate, string? Bureau = null)
{
    /// <summary>The bureau's name when genesis gives one, else the short id.</summary>
    [JsonIgnore]
    public string DisplayName => string.IsNullOrWhiteSpace(Bureau) ? Name : Bureau;
}
