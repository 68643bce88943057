using Ledger.Core;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// A bureau acts only where it governs: the province bureau (a province-level division) everywhere in the
/// province, a city bureau inside its city, and — from protocol version 4 — a county bureau (a county-level division)
/// inside its county (before, a county bureau governed its whole city). The division that governs must contain every
/// place of work the action concerns.
/// </summary>
public sealed class BureauJurisdictionRule : IContractRule
{
    public static readonly BureauJurisdictionRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        var submitter = context.Submitter;
        if (submitter.Role != Role.Bureau) return ValidationResult.Valid;
        if (submitter.Division is not { } division)
            return ValidationResult.Fail(ErrorCode.OutsideJurisdiction, "the bureau's certificate names no division");
        var governs = division.Level switch
        {
            DivisionLevel.Province => division,
            >= DivisionLevel.County when context.Tx.ProtocolVersion >= Core.Governance.ProtocolVersions.V4 => division.AtLevel(DivisionLevel.County),
            _ => division.AtLevel(DivisionLevel.City),
        };
        foreach (var text in context.PlacesOfWork)
        {
            if (!DivisionCode.TryParse(text, out var place) || !governs.Contains(place))
                return ValidationResult.Fail(ErrorCode.OutsideJurisdiction, $"place of work {text} is outside the bureau's division {governs}");
        }
        return ValidationResult.Valid;
    }
}
