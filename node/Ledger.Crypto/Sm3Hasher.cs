using Ledger.Core;
using Ledger.Core.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace Ledger.Crypto;

/// <summary>
/// <see cref="IHasher"/> over SM3. Stateless (a digest object per call), so one instance is shared by
/// every thread.
/// </summary>
public sealed class Sm3Hasher : IHasher
{
    public static Sm3Hasher Instance { get; } = new();

    private Sm3Hasher()
    {
    }

    public Hash32 Hash(ReadOnlySpan<byte> data) => Sm3.Hash(data);

    public Hash32 Hash(byte domain, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var digest = new SM3Digest();
        digest.Update(domain);
        digest.BlockUpdate(first);
        digest.BlockUpdate(second);
        Span<byte> output = stackalloc byte[Sm3.DigestSize];
        digest.DoFinal(output);
        return new Hash32(output);
    }
}
