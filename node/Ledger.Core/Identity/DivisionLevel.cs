namespace Ledger.Core.Identity;

/// <summary>The five administrative levels of the statistical division code.</summary>
public enum DivisionLevel
{
    Province = 1,
    City = 2,
    County = 3,
    Town = 4,
    Village = 5,
}
