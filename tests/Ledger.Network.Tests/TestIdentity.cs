using System.Security.Cryptography;
using System.Text;
using Ledger.Core;

namespace Ledger.Network.Tests;

/// <summary>A fake validator identity: a "certificate" naming it, its id (SHA-256 of the certificate), an HMAC key.</summary>
internal sealed class TestIdentity
{
    public TestIdentity(string name)
    {
        Name = name;
        Certificate = Encoding.UTF8.GetBytes($"test-certificate:{name}");
        Id = new Hash32(SHA256.HashData(Certificate));
        Key = SHA256.HashData(Encoding.UTF8.GetBytes($"test-key:{name}"));
    }

    public string Name { get; }

    public byte[] Certificate { get; }

    public Hash32 Id { get; }

    public byte[] Key { get; }
}
