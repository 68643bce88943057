namespace Ledger.Core.Crypto;

/// <summary>The ledger's hash function (SM3, implemented in Ledger.Crypto). Core only names it.</summary>
public interface IHasher
{
    Hash32 Hash(ReadOnlySpan<byte> data);

    /// <summary>Hash of the concatenation of a one-byte domain tag and the parts, without copying them together.</summary>
    Hash32 Hash(byte domain, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second);
}
