namespace Ledger.Analytics.Statistics;

/// <summary>The counts of one group; keys not grouped by are null.</summary>
public sealed record StatisticsRow
{
    public string? Division { get; init; }
    public DateOnly? Month { get; init; }
    public string? IndustrySection { get; init; }
    public string? Employer { get; init; }
    public long Signed { get; init; }
    public long PaperUploads { get; init; }
    public long Changed { get; init; }
    public long Renewed { get; init; }
    public long Dissolved { get; init; }
    public long Terminated { get; init; }
    public Dictionary<string, long> DissolvedByBasis { get; init; } = [];
    public Dictionary<string, long> TerminatedByReason { get; init; } = [];
    public double ESigningShare => Signed + PaperUploads == 0 ? 0 : (double)Signed / (Signed + PaperUploads);
    public double AverageTermDays { get; init; }
    public double ProbationShare { get; init; }
    public long InForce { get; set; }

    /// <summary>The group's key, for joining the breakdowns and the in-force counts to it.</summary>
    internal (string?, DateOnly?, string?, string?) Key => (Division, Month, IndustrySection, Employer);
}
