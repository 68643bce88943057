using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Ledger.Crypto;

/// <summary>HMAC (RFC 2104) over SM3; 32-byte tags.</summary>
public static class HmacSm3
{
    public const int TagSize = 32;

    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var mac = Create(key);
        mac.BlockUpdate(data);
        var tag = new byte[TagSize];
        mac.DoFinal(tag);
        return tag;
    }

    internal static HMac Create(ReadOnlySpan<byte> key)
    {
        var mac = new HMac(new SM3Digest());
        mac.Init(new KeyParameter(key));
        return mac;
    }
}
