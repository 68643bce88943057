using Ledger.Core.Caching;
using Ledger.Core;
using Ledger.Core.Crypto;

namespace Ledger.Crypto;

/// <summary>
/// <see cref="ISignatureVerifier"/> for SM2. Keeps a bounded, thread-safe cache of decoded public keys and their
/// Z_A per (public key, signer ID), so a validator that sees the same endorsers over and over decodes each
/// point once and keeps its precomputed multiples. Safe to call from many threads at once.
/// </summary>
public sealed class Sm2Verifier : ISignatureVerifier
{
    public const int DefaultCapacity = 4096;

    private readonly LruCache<CacheKey, Prepared> _cache;
    private readonly int _capacity;

    public Sm2Verifier(int capacity = DefaultCapacity)
    {
        if (capacity < 1)
            throw new LedgerException(ErrorCode.InvalidCryptoParameter, "the verifier cache needs a capacity of at least 1");
        _capacity = capacity;
        _cache = new LruCache<CacheKey, Prepared>(capacity);
    }

    public int CachedEntries => _cache.Count;

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> signerId) =>
        VerifyDetailed(publicKey, message, signature, signerId).IsValid;

    public ValidationResult VerifyDetailed(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> signerId)
    {
        if (publicKey.Length != Sm2.PublicKeySize)
            return ValidationResult.Fail(ErrorCode.InvalidPublicKey, $"a public key is {Sm2.PublicKeySize} bytes, got {publicKey.Length}");
        var id = Sm2.EffectiveId(signerId);
        if (id.Length > Sm2.MaxSignerIdLength)
            return ValidationResult.Fail(ErrorCode.InvalidCryptoParameter, $"an SM2 signer ID is at most {Sm2.MaxSignerIdLength} bytes");

        var key = CacheKey.Create(publicKey, id);
        if (!_cache.TryGetValue(key, out var prepared))
        {
            if (!Sm2PublicKey.TryFromBytes(publicKey, out var parsed, out var error))
                return error; // invalid keys are not cached: they cost little to reject again
            prepared = new Prepared(parsed!, parsed!.GetZ(id));
            prepared = _cache.GetOrAdd(key, prepared); // bounded: the least recently used key makes room
        }
        return prepared.Key.VerifyWithZ(prepared.Z, message, signature);
    }

    private sealed record Prepared(Sm2PublicKey Key, byte[] Z);

    private readonly struct CacheKey : IEquatable<CacheKey>
    {
        private readonly byte[] _bytes; // public key (65 bytes) || signer ID
        private readonly int _hash;

        private CacheKey(byte[] bytes)
        {
            _bytes = bytes;
            var hash = new HashCode();
            hash.AddBytes(bytes);
            _hash = hash.ToHashCode();
        }

        public static CacheKey Create(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> id)
        {
            var bytes = new byte[publicKey.Length + id.Length];
            publicKey.CopyTo(bytes);
            id.CopyTo(bytes.AsSpan(publicKey.Length));
            return new CacheKey(bytes);
        }

        public bool Equals(CacheKey other) => _bytes.AsSpan().SequenceEqual(other._bytes);

        public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

        public override int GetHashCode() => _hash;
    }
}
