using System.Security.Cryptography;
using System.Text;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Fakes;

/// <summary>
/// Fast stand-in for SM2 in simulations: validator i has id SHA-256("validator-i") and signs with HMAC-SHA-256 under a
/// key derived from its id. Verification recomputes the MAC, so a forged or altered message fails exactly as with SM2.
/// </summary>
public sealed class FakeKeyRing : ISimKeys
{
    private readonly Dictionary<Hash32, byte[]> _keys = [];
    private readonly Hash32[] _validators;

    public FakeKeyRing(int validators, string label = "validator")
    {
        _validators = Enumerable.Range(0, validators).Select(i => IdOf($"{label}-{i}")).ToArray();
        foreach (var id in _validators) _keys[id] = KeyOf(id);
    }

    public IReadOnlyList<Hash32> Validators => _validators;

    public IReadOnlyList<Hash32> ValidatorsAt(ulong height) => _validators;

    public IConsensusSigner SignerFor(Hash32 validator) => new FakeSigner(validator, _keys[validator]);

    /// <summary>A key that is not in the set (an outsider).</summary>
    public static IConsensusSigner Outsider(string name) => new FakeSigner(IdOf(name), KeyOf(IdOf(name)));

    public bool Verify(Hash32 validator, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        _keys.TryGetValue(validator, out var key) && CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, message), signature);

    public static Hash32 IdOf(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    private static byte[] KeyOf(Hash32 id) => SHA256.HashData([.. "key:"u8, .. id.ToArray()]);

    private sealed class FakeSigner(Hash32 id, byte[] key) : IConsensusSigner
    {
        public Hash32 ValidatorId => id;

        public byte[] Sign(ReadOnlySpan<byte> message) => HMACSHA256.HashData(key, message);
    }
}
