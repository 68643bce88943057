namespace Ledger.Explorer.Staff;

/// <summary>
/// Whom a staff account works for. Courts, arbitration boards and labour inspectorates read as legal authority (their
/// reads are recorded with the case number; sensitive bases show); a bureau reads within its division, without them.
/// </summary>
public enum StaffRole
{
    /// <summary>Never stored or accepted: the zero value names no role (the CLI's enum rule).</summary>
    Unspecified,
    Court,
    Arbitration,
    Inspector,
    Bureau,
}
