using Ledger.Core.Contracts;
using Ledger.Core.Identity;

namespace Ledger.Analytics.Statistics;

/// <summary>
/// Which facts to count and how to group them: a division subtree (any of the five levels), a range of months (block
/// time in UTC+8, both inclusive), optionally one industry (a section letter or a code as on chain), one contract type and one employer;
/// grouped by the division at <see cref="GroupLevel"/>, by month, by industry section, by employer, in any combination.
/// </summary>
public sealed record StatisticsQuery
{
    public required DivisionCode Division { get; init; }
    public DivisionLevel? GroupLevel { get; init; }
    public bool ByMonth { get; init; }
    public bool BySection { get; init; }
    public bool ByEmployer { get; init; }
    public DateOnly? FromMonth { get; init; }
    public DateOnly? ToMonth { get; init; }
    public string? Industry { get; init; }
    public ContractType? ContractType { get; init; }
    public string? Employer { get; init; }
}
