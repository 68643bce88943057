using Org.BouncyCastle.Math;

namespace Ledger.Crypto;

/// <summary>
/// The DER form of an SM2 signature, SEQUENCE { r INTEGER, s INTEGER } (GM/T 0009 §7.3), parsed by hand and
/// strictly: exactly one encoding is accepted for each (r, s), so a signature cannot be re-encoded into a
/// second valid byte string (no long-form lengths, no padding zeros, no negatives, nothing trailing).
/// </summary>
internal static class Sm2SignatureEncoding
{
    private const int MaxIntegerLength = 33; // 32 bytes plus one sign byte

    public static byte[] Encode(BigInteger r, BigInteger s)
    {
        var rBytes = r.ToByteArray(); // two's complement, minimal: a leading 00 only when the top bit is set
        var sBytes = s.ToByteArray();
        var content = 2 + rBytes.Length + 2 + sBytes.Length;
        var der = new byte[2 + content];
        der[0] = 0x30;
        der[1] = (byte)content;
        der[2] = 0x02;
        der[3] = (byte)rBytes.Length;
        rBytes.CopyTo(der, 4);
        der[4 + rBytes.Length] = 0x02;
        der[5 + rBytes.Length] = (byte)sBytes.Length;
        sBytes.CopyTo(der, 6 + rBytes.Length);
        return der;
    }

    public static bool TryDecode(ReadOnlySpan<byte> der, out BigInteger r, out BigInteger s, out string reason)
    {
        r = s = BigInteger.Zero;
        if (der.Length < 2 || der[0] != 0x30)
        {
            reason = "signature is not a DER SEQUENCE";
            return false;
        }
        if ((der[1] & 0x80) != 0)
        {
            reason = "signature uses a long-form or indefinite length where DER requires the short form";
            return false;
        }
        if (der[1] != der.Length - 2)
        {
            reason = der[1] > der.Length - 2 ? "signature is truncated" : "signature has trailing bytes";
            return false;
        }
        var offset = 2;
        if (!TryReadInteger(der, ref offset, out r, out reason) || !TryReadInteger(der, ref offset, out s, out reason))
            return false;
        if (offset != der.Length)
        {
            reason = "signature SEQUENCE holds more than r and s";
            return false;
        }
        reason = string.Empty;
        return true;
    }

    private static bool TryReadInteger(ReadOnlySpan<byte> der, ref int offset, out BigInteger value, out string reason)
    {
        value = BigInteger.Zero;
        if (offset + 2 > der.Length || der[offset] != 0x02)
        {
            reason = "expected an INTEGER in the signature";
            return false;
        }
        int length = der[offset + 1];
        if ((length & 0x80) != 0)
        {
            reason = "INTEGER uses a long-form length";
            return false;
        }
        if (length == 0 || length > MaxIntegerLength || offset + 2 + length > der.Length)
        {
            reason = $"INTEGER length {length} is not valid for a 256-bit value";
            return false;
        }
        var content = der.Slice(offset + 2, length);
        if ((content[0] & 0x80) != 0)
        {
            reason = "INTEGER is negative";
            return false;
        }
        if (length > 1 && content[0] == 0 && (content[1] & 0x80) == 0)
        {
            reason = "INTEGER has a superfluous leading zero";
            return false;
        }
        if (length == MaxIntegerLength && content[0] != 0)
        {
            reason = "INTEGER is longer than 256 bits";
            return false;
        }
        value = new BigInteger(1, content);
        offset += 2 + length;
        reason = string.Empty;
        return true;
    }
}
