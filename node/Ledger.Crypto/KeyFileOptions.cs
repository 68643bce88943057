namespace Ledger.Crypto;

/// <summary>
/// How a key file is protected. <see cref="Iterations"/> is the PBKDF2-HMAC-SM3 work factor; 600,000 is the
/// floor for real keys (it is OWASP's 2023 figure for PBKDF2-HMAC-SHA256, whose per-iteration cost is close to
/// HMAC-SM3's). Lower counts are refused, both when writing and when reading, unless
/// <see cref="AllowWeakIterations"/> is set, which only <see cref="ForTests"/> does: tests would otherwise spend
/// about a second in the KDF per file.
/// </summary>
public sealed record KeyFileOptions(int Iterations = KeyFileOptions.MinimumIterations)
{
    public const int MinimumIterations = 600_000;

    /// <summary>A ceiling, so a damaged or hostile file cannot make Load run for hours.</summary>
    public const int MaximumIterations = 10_000_000;

    public const int TestIterations = 1_000;

    /// <summary>Accept iteration counts below <see cref="MinimumIterations"/>. Never set this for a real key.</summary>
    public bool AllowWeakIterations { get; init; }

    /// <summary>1,000 iterations and weak counts allowed: for unit tests and throw-away devnets only.</summary>
    public static KeyFileOptions ForTests { get; } = new(TestIterations) { AllowWeakIterations = true };
}
