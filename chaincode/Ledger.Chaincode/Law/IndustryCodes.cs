namespace Ledger.Chaincode.Law;

/// <summary>
/// GB/T 4754-2017 industry codes. Accepted forms: a section letter A-T alone (C), the letter with a two-,
/// three- or four-digit division, group or class (C39, C391, C3911), or the four-digit class alone (3911).
/// The two-digit division must exist (01-97) and, with a letter, belong to that section.
/// </summary>
public static class IndustryCodes
{
    // First and last division (two digits) of each section A..T.
    private static readonly (int First, int Last)[] Sections =
    [
        (1, 5), (6, 12), (13, 43), (44, 46), (47, 50), (51, 52), (53, 60), (61, 62), (63, 65), (66, 69),
        (70, 70), (71, 72), (73, 75), (76, 79), (80, 82), (83, 83), (84, 85), (86, 90), (91, 96), (97, 97),
    ];

    public static bool IsValid(string? code)
    {
        if (string.IsNullOrEmpty(code)) return false;
        var hasSection = code[0] is >= 'A' and <= 'T';
        var digits = hasSection ? code.AsSpan(1) : code.AsSpan();
        foreach (var c in digits)
            if (c is < '0' or > '9') return false;
        if (!hasSection) return digits.Length == 4 && SectionOf(Division(digits)) >= 0;
        if (digits.Length == 0) return true;
        if (digits.Length is < 2 or > 4) return false;
        return SectionOf(Division(digits)) == code[0] - 'A';
    }

    /// <summary>The section letter (A-T) of a valid code: its own letter, or the section of its four-digit class.</summary>
    public static char SectionOf(string code)
    {
        if (!IsValid(code)) throw new ArgumentException($"'{code}' is not a GB/T 4754-2017 industry code", nameof(code));
        return code[0] is >= 'A' and <= 'T' ? code[0] : (char)('A' + SectionOf(Division(code.AsSpan())));
    }

    private static int Division(ReadOnlySpan<char> digits) => (digits[0] - '0') * 10 + (digits[1] - '0');

    private static int SectionOf(int division)
    {
        for (var i = 0; i < Sections.Length; i++)
            if (division >= Sections[i].First && division <= Sections[i].Last) return i;
        return -1;
    }
}
