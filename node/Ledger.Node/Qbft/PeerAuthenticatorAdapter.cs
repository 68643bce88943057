using Ledger.Chain;
using Ledger.Chain.Governance;
using Ledger.Core;
using Ledger.Crypto;
using Ledger.Network;

namespace Ledger.Node.Qbft;

/// <summary>
/// Peer handshakes with SM2: a peer is a validator of the set deciding the next height, or of one scheduled after it (a
/// validator voted in connects and catches up before its height), presenting its own certificate and proving its key. A
/// validator voted out is refused once its last height has passed.
/// </summary>
public sealed class PeerAuthenticatorAdapter(NodeIdentities identities, ValidatorSets validators, Func<ulong> nextHeight) : IPeerAuthenticator
{
    public PeerAuthenticatorAdapter(NodeIdentity identity, ValidatorSets validators, Func<ulong> nextHeight)
        : this(NodeIdentities.Single(identity), validators, nextHeight)
    {
    }

    // A handshake presents the certificate that decides the next height: after a Replace of its own, the new one.
    private NodeIdentity Current => identities.At(nextHeight());

    public Hash32 OwnId => Current.Certificate.Id;

    public ReadOnlyMemory<byte> OwnCertificate => Current.Certificate.Der;

    public byte[] Sign(ReadOnlySpan<byte> message) => Current.Key.Sign(message);

    public bool TryAuthenticate(ReadOnlySpan<byte> certificate, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, out Hash32 validatorId)
    {
        validatorId = Sm3.Hash(certificate);
        var known = validators.FindFrom(nextHeight(), validatorId);
        if (known is null) return false;
        return known.Value.Certificate.PublicKey.Verify(message, signature);
    }

    public string? NameOf(Hash32 validatorId) => validators.NameOf(validatorId);

    public bool IsValidator(string name) => validators.From(nextHeight()).Any(set => set.Names.Values.Contains(name, StringComparer.Ordinal));
}
