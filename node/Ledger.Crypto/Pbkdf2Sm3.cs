using System.Buffers.Binary;
using Ledger.Core;

namespace Ledger.Crypto;

/// <summary>
/// PBKDF2 (RFC 8018 §5.2) with HMAC-SM3 as the PRF. Written out here rather than through BouncyCastle's
/// generator so every intermediate buffer is ours to clear.
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

        var mac = HmacSm3.Create(password);
        var output = new byte[length];
        var u = new byte[HmacSm3.TagSize];
        var t = new byte[HmacSm3.TagSize];
        Span<byte> blockIndex = stackalloc byte[4];
        try
        {
            for (int block = 1, offset = 0; offset < length; block++, offset += HmacSm3.TagSize)
            {
                BinaryPrimitives.WriteInt32BigEndian(blockIndex, block);
                mac.BlockUpdate(salt);
                mac.BlockUpdate(blockIndex);
                mac.DoFinal(u); // DoFinal resets the MAC to its keyed state
                u.CopyTo(t, 0);
                for (var i = 1; i < iterations; i++)
                {
                    mac.BlockUpdate(u);
                    mac.DoFinal(u);
                    for (var j = 0; j < t.Length; j++)
                        t[j] ^= u[j];
                }
                t.AsSpan(0, Math.Min(t.Length, length - offset)).CopyTo(output.AsSpan(offset));
            }
            return output;
        }
        finally
        {
            Array.Clear(u);
            Array.Clear(t);
            mac.Reset();
        }
    }
}
