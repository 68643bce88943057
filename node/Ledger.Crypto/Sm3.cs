using Ledger.Core;
using Org.BouncyCastle.Crypto.Digests;

namespace Ledger.Crypto;

/// <summary>SM3 (GB/T 32905-2016), the ledger's hash function.</summary>
public static class Sm3
{
    public const int DigestSize = 32;

    public static Hash32 Hash(ReadOnlySpan<byte> data)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data);
        Span<byte> output = stackalloc byte[DigestSize];
        digest.DoFinal(output);
        return new Hash32(output);
    }

    /// <summary>Hashes a stream from its current position to its end in 64 KiB chunks, so a large file never sits in memory.</summary>
    public static Hash32 Hash(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var digest = new SM3Digest();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            digest.BlockUpdate(buffer.AsSpan(0, read));
        Span<byte> output = stackalloc byte[DigestSize];
        digest.DoFinal(output);
        return new Hash32(output);
    }

    /// <summary>SM3 of several parts, without copying them together.</summary>
    internal static Hash32 Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(first);
        digest.BlockUpdate(second);
        Span<byte> output = stackalloc byte[DigestSize];
        digest.DoFinal(output);
        return new Hash32(output);
    }
}
