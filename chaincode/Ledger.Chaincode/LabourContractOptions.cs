using Ledger.Core;
using Ledger.Core.Genesis;
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

    /// <summary>
    /// The options a chain's genesis names (<see cref="GenesisDocument.Chaincode"/>), the Guangdong preset when it names none;
    /// a malformed section is a <see cref="LedgerException"/>.
    /// </summary>
    public static LabourContractOptions FromGenesis(GenesisDocument genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        if (genesis.Chaincode is not { } section) return Guangdong;
        var province = Parse(section.Province, "chaincode.province");
        if (province.Level != DivisionLevel.Province)
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"genesis: chaincode.province {section.Province} is not a province's code");
        var cities = section.CitiesWithoutCounties.Select((code, i) => Parse(code, $"chaincode.citiesWithoutCounties[{i}]")).ToArray();
        foreach (var city in cities)
            if (city.Level != DivisionLevel.City || !province.Contains(city))
                throw new LedgerException(ErrorCode.InvalidFieldValue, $"genesis: chaincode.citiesWithoutCounties names {city}, not a city of province {province}");
        return new LabourContractOptions { Province = province, CitiesWithoutCounties = cities };

        static DivisionCode Parse(string code, string what) =>
            DivisionCode.TryParse(code, out var parsed) ? parsed : throw new LedgerException(ErrorCode.InvalidFieldValue, $"genesis: {what} '{code}' is not a division code");
    }

    /// <summary>These options as genesis.json's <c>chaincode</c> section.</summary>
    public ChaincodeParameters ToGenesis() => new()
    {
        Province = Province.Value,
        CitiesWithoutCounties = [.. CitiesWithoutCounties.Select(c => c.Value)],
    };

    /// <summary>Every place of work must lie inside this province.</summary>
    public required DivisionCode Province { get; init; }

    /// <summary>
    /// Prefecture-level cities without counties, whose places of work may be given at city level (elsewhere the
    /// county, town or village is required, so a city bureau's jurisdiction and statistics per county are exact).
    /// </summary>
    public IReadOnlyList<DivisionCode> CitiesWithoutCounties { get; init; } = [];
}
