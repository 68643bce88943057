using Ledger.Core.Contracts;
using Ledger.Core.Identity;

namespace Ledger.Analytics.Indexing;

/// <summary>
/// What the indexer's identity may read, and so what it writes (ARCHITECTURE §4): an Observer the whole chain; a Bureau
/// the contracts whose employer is registered, or whose place of work lies, in its division subtree, without the
/// bases that reveal health or criminal data (they are written as withheld, 0).
/// </summary>
public sealed record IndexScope
{
    private IndexScope(Role role, DivisionCode? division)
    {
        Role = role;
        Division = division;
    }

    public Role Role { get; }

    public DivisionCode? Division { get; }

    public static IndexScope Observer { get; } = new(Role.Observer, null);

    public static IndexScope Bureau(DivisionCode division) => new(Role.Bureau, division);

    /// <summary>The scope of a certificate's role and division; other roles index nothing.</summary>
    public static IndexScope For(Role role, DivisionCode division) => role switch
    {
        Role.Observer => Observer,
        Role.Bureau => Bureau(division),
        _ => throw new AnalyticsException($"the indexer reads with an Observer or a Bureau certificate, not {role}"),
    };

    /// <summary>How the checkpoint names it: a database indexed under one scope is never continued under another.</summary>
    public string Name => Division is { } d ? $"bureau:{d.Value}" : "observer";

    public bool Covers(string employerCreditCode, string placeOfWork)
    {
        if (Division is not { } bureau) return true;
        if (employerCreditCode.Length == 18 && DivisionCode.TryParse(employerCreditCode.Substring(2, 6), out var registered) && bureau.Contains(registered))
            return true;
        return DivisionCode.TryParse(placeOfWork, out var place) && bureau.Contains(place);
    }

    /// <summary>The basis as this scope may see it: a bureau sees no health or criminal basis (PIPL art. 28).</summary>
    public DissolutionBasis Visible(DissolutionBasis basis) =>
        Division is not null && IsSensitive(basis) ? DissolutionBasis.Unspecified : basis;

    /// <summary>The bases a node withholds from bureaus (ReadPolicy.IsSensitive; a test checks both agree).</summary>
    public static bool IsSensitive(DissolutionBasis basis) => basis is DissolutionBasis.Art40Illness or DissolutionBasis.Art39CriminalLiability;
}
