using System.Diagnostics.CodeAnalysis;

namespace Ledger.Core.Identity;

/// <summary>
/// A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-letter
/// alphabet, the last a check character over the first 17.
/// </summary>
public readonly record struct CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private CreditCode(string value) => Value = value;

    public string Value { get; }

    /// <summary>Characters 3-8: the registering authority's division (six-digit administrative code).</summary>
    public string RegistrationDivision => Value.Substring(2, 6);

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) throw new ArgumentException("17 characters expected", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = Alphabet.IndexOf(first17[i]);
            if (v < 0) throw new ArgumentException($"'{first17[i]}' is not in the GB 32100 alphabet", nameof(first17));
            sum += v * Weights[i];
        }
        return Alphabet[(31 - sum % 31) % 31];
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out CreditCode code)
    {
        code = default;
        if (text is null || text.Length != 18) return false;
        foreach (var c in text)
            if (Alphabet.IndexOf(c) < 0) return false;
        if (CheckCharacter(text.AsSpan(0, 17)) != text[17]) return false;
        code = new CreditCode(text);
        return true;
    }

    public static CreditCode Parse(string text) =>
        TryParse(text, out var code) ? code : throw new LedgerException(ErrorCode.InvalidCreditCode, $"'{text}' is not a valid unified social credit code");

    public override string ToString() => Value;
}
