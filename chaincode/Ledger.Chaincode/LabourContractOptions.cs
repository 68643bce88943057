using Ledger.Core.Identity;

namespace Ledger.Chaincode;

/// <summary>What the chaincode needs to know about the jurisdiction it serves. Fixed for a chain (genesis), so every node agrees.</summary>
public sealed record LabourContractOptions
{
    /// <summary>The Guangdong preset: province 44; Dongguan (4419) and Zhongshan (4420) have towns directly under the city.</summary>
    public static readonly LabourContractOptions Guangdong = new()
    {
        Province = DivisionCode.Parse("440000000000"),
        CitiesWithoutCounties = [DivisionCode.Parse("441900000000"), DivisionCode.Parse("442000000000")],
    };

    /// <summary>Every place of work must lie inside this province.</summary>
    public required DivisionCode Province { get; init; }

    /// <summary>
    /// Prefecture-level cities without counties, whose places of work may be given at city level (elsewhere the
    /// county, town or village is required, so a city bureau's jurisdiction and statistics per county are exact).
    /// </summary>
    public IReadOnlyList<DivisionCode> CitiesWithoutCounties { get; init; } = [];
}
