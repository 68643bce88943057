using Ledger.Core;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// The proposed place of work is a valid 12-digit division code, inside the chain's province, and at county
/// level or below (city level only for the cities that have no counties), so it falls in exactly one city's
/// jurisdiction and counts in exactly one county's statistics.
/// </summary>
public sealed class PlaceOfWorkRule : IContractRule
{
    public static readonly PlaceOfWorkRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.ProposedTerms is not { } terms) return ValidationResult.Valid;
        var text = terms.PlaceOfWork;
        if (text.Length != 12 || !DivisionCode.TryParse(text, out var place))
            return ValidationResult.Fail(ErrorCode.InvalidPlaceOfWork, $"place of work '{text}' is not a 12-digit division code");
        if (!context.Options.Province.Contains(place))
            return ValidationResult.Fail(ErrorCode.PlaceOfWorkOutsideProvince, $"place of work {place} is outside province {context.Options.Province}");
        var precise = place.Level >= DivisionLevel.County
            || (place.Level == DivisionLevel.City && context.Options.CitiesWithoutCounties.Contains(place));
        return precise
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.PlaceOfWorkTooCoarse, $"place of work {place} is at {place.Level} level; give the county, town or village");
    }
}
