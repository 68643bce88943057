using Ledger.Core;

namespace Ledger.Network;

/// <summary>
/// This validator's identity on the peer network and the check of another's. Implemented by the node with SM2 and the
/// validator set of the chain; must be thread-safe (handshakes run concurrently).
/// </summary>
public interface IPeerAuthenticator
{
    /// <summary>This validator's certificate id.</summary>
    Hash32 OwnId { get; }

    /// <summary>This validator's certificate, DER.</summary>
    ReadOnlyMemory<byte> OwnCertificate { get; }

    /// <summary>Signs with this validator's key (the message already carries its domain prefix).</summary>
    byte[] Sign(ReadOnlySpan<byte> message);

    /// <summary>True if the certificate is a validator's of this chain and the signature over message is by its key.</summary>
    bool TryAuthenticate(ReadOnlySpan<byte> certificate, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, out Hash32 validatorId);

    /// <summary>The validator's name in the chain's validator set (genesis), null if the id is no validator's.</summary>
    string? NameOf(Hash32 validatorId);

    /// <summary>True if <paramref name="name"/> names a validator of the chain.</summary>
    bool IsValidator(string name);
}
