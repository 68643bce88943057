using Ledger.Core;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace Ledger.Crypto;

/// <summary>
/// PBKDF2 (RFC 8018 §5.2) with HMAC-SM3 as the PRF: BouncyCastle's <see cref="Pkcs5S2ParametersGenerator"/> over
/// <see cref="SM3Digest"/>, checked against openssl's PBKDF2 with digest SM3 (MacAndKdfTests) and by every key file.
/// </summary>
public static class Pbkdf2Sm3
{
    public const int MaxLength = 1024;

    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, int length)
    {
        if (iterations < 1)
            throw new LedgerException(ErrorCode.InvalidCryptoParameter, $"PBKDF2 needs at least one iteration, got {iterations}");
        if (length is < 1 or > MaxLength)
            throw new LedgerException(ErrorCode.InvalidCryptoParameter, $"PBKDF2 output length must be 1..{MaxLength} bytes, got {length}");

        var generator = new Pkcs5S2ParametersGenerator(new SM3Digest());
        var passwordCopy = password.ToArray();
        try
        {
            generator.Init(passwordCopy, salt.ToArray(), iterations);
            var parameters = (KeyParameter)generator.GenerateDerivedMacParameters(length * 8);
            return parameters.GetKey();
        }
        finally
        {
            Array.Clear(passwordCopy);
        }
    }
}
