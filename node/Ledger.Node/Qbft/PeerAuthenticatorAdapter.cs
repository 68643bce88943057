using Ledger.Chain;
using Ledger.Core;
using Ledger.Crypto;
using Ledger.Network;

namespace Ledger.Node.Qbft;

/// <summary>Peer handshakes with SM2: a peer is a validator of genesis presenting its own certificate and proving its key.</summary>
public sealed class PeerAuthenticatorAdapter(NodeIdentity identity, ValidatorSetInfo validators) : IPeerAuthenticator
{
    public Hash32 OwnId => identity.Certificate.Id;

    public ReadOnlyMemory<byte> OwnCertificate => identity.Certificate.Der;

    public byte[] Sign(ReadOnlySpan<byte> message) => identity.Key.Sign(message);

    public bool TryAuthenticate(ReadOnlySpan<byte> certificate, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, out Hash32 validatorId)
    {
        validatorId = Sm3.Hash(certificate);
        var known = validators.Find(validatorId);
        if (known is null) return false;
        return known.PublicKey.Verify(message, signature);
    }

    public string? NameOf(Hash32 validatorId) => validators.Names.TryGetValue(validatorId, out var name) ? name : null;

    public bool IsValidator(string name) => validators.Names.Values.Contains(name, StringComparer.Ordinal);
}
