using System.Security.Cryptography;
using Ledger.Core;

namespace Ledger.Network.Tests;

/// <summary>
/// HMAC "signatures" over a key table: a certificate authenticates only if it is one of the validators' and the MAC
/// is by that validator's key. <paramref name="signWith"/> lets a test sign with a key that is not its own.
/// </summary>
internal sealed class FakeAuthenticator(TestIdentity own, IReadOnlyCollection<TestIdentity> validators, byte[]? signWith = null) : IPeerAuthenticator
{
    private readonly byte[] _signingKey = signWith ?? own.Key;

    public Hash32 OwnId => own.Id;

    public ReadOnlyMemory<byte> OwnCertificate => own.Certificate;

    public byte[] Sign(ReadOnlySpan<byte> message) => HMACSHA256.HashData(_signingKey, message);

    public bool TryAuthenticate(ReadOnlySpan<byte> certificate, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, out Hash32 validatorId)
    {
        foreach (var v in validators)
        {
            if (!certificate.SequenceEqual(v.Certificate)) continue;
            if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(v.Key, message), signature)) break;
            validatorId = v.Id;
            return true;
        }
        validatorId = default;
        return false;
    }

    public string? NameOf(Hash32 validatorId) => validators.FirstOrDefault(v => v.Id == validatorId)?.Name;

    public bool IsValidator(string name) => validators.Any(v => v.Name == name);
}
