using System.Text;
using Ledger.Core;

namespace Ledger.Crypto;

/// <summary>
/// A worker's stable pseudonym: <c>HMAC-SM3(province pseudonym key, "ledger/worker-pseudonym/v1\n" ‖ ID number)</c>, the
/// ID number an 18-character resident identity number (GB 11643) with a valid check character, upper-case X. The
/// same person gets the same pseudonym at every employer and in every city, so the law's memories (art. 14, art. 19(2))
/// follow the person; without the province's key nobody can compute it from an ID number, nor test a guess, nor turn it
/// back into one. It is computed once, at enrolment, by the bureau's CA process that holds the key; it is what Worker
/// certificates and contracts carry — never a name or an ID number.
/// </summary>
public static class WorkerPseudonym
{
    public const int MinKeyBytes = 32;

    private static ReadOnlySpan<byte> Domain => "ledger/worker-pseudonym/v1\n"u8;

    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    public static Hash32 Compute(ReadOnlySpan<byte> provinceKey, string idNumber)
    {
        if (provinceKey.Length < MinKeyBytes)
            throw new LedgerException(ErrorCode.InvalidCryptoParameter, $"a pseudonym key is at least {MinKeyBytes} bytes");
        var normalised = Normalise(idNumber);
        var data = new byte[Domain.Length + normalised.Length];
        Domain.CopyTo(data);
        Encoding.ASCII.GetBytes(normalised, data.AsSpan(Domain.Length));
        try
        {
            return new Hash32(HmacSm3.Compute(provinceKey, data));
        }
        finally
        {
            Array.Clear(data);
        }
    }

    /// <summary>The ID number in its one canonical form, or <see cref="ErrorCode.InvalidFieldValue"/> (the number itself never in the message).</summary>
    public static string Normalise(string idNumber)
    {
        var value = (idNumber ?? "").Trim().ToUpperInvariant();
        if (!IsValidIdNumber(value))
            throw new LedgerException(ErrorCode.InvalidFieldValue, "not an 18-character resident identity number with a valid check character");
        return value;
    }

    public static bool IsValidIdNumber(string value)
    {
        if (value is null || value.Length != 18) return false;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i])) return false;
            sum += (value[i] - '0') * Weights[i];
        }
        return value[17] == CheckCharacters[sum % 11];
    }
}
