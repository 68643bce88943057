using Ledger.Core.Identity;

namespace Ledger.Explorer.Staff;

/// <summary>One staff account of the explorer: who the user works for, and the password only as PBKDF2-HMAC-SM3.</summary>
public sealed record StaffAccount
{
    public required string User { get; init; }
    public required StaffRole Role { get; init; }
    public required string Institution { get; init; }

    /// <summary>A bureau account's division; null for legal authority, whose scope is the case it signs in for.</summary>
    public DivisionCode? Division { get; init; }

    public required int Iterations { get; init; }
    public required byte[] Salt { get; init; }
    public required byte[] PasswordHash { get; init; }

    public bool HasLegalAuthority => Role is StaffRole.Court or StaffRole.Arbitration or StaffRole.Inspector;

    /// <summary>Who the explorer's operator reads on behalf of, in the AccessRecord: <c>Role:institution/user</c>.</summary>
    public string OnBehalfOf => $"{Role}:{Institution}/{User}";

    /// <summary>
    /// Whether a contract lies in the account's scope: everything for legal authority (the read is recorded); for a
    /// bureau, the employer's registration (credit code digits 3-8) or any version's place of work in its division —
    /// the rule the node applies to a Bureau certificate.
    /// </summary>
    public bool Covers(string employerCreditCode, IEnumerable<string?> placesOfWork)
    {
        ArgumentNullException.ThrowIfNull(placesOfWork);
        if (HasLegalAuthority) return true;
        if (Division is not { } division) return false;
        if (employerCreditCode is { Length: 18 } && DivisionCode.TryParse(employerCreditCode.Substring(2, 6), out var registered) && division.Contains(registered))
            return true;
        foreach (var place in placesOfWork)
            if (DivisionCode.TryParse(place, out var code) && division.Contains(code)) return true;
        return false;
    }
}
