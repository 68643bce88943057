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
public sealed class PeerAuthenticatorAdapter(NodeIdentity identity, ValidatorSets validators, Func<ulong> nextHeight) : IPeerAuthenticator
{
    public Hash32 OwnId => identity.Certificate.Id;

    public ReadOnlyMemory<byte> OwnCertificate => identity.Certificate.Der;

    public byte[] Sign(ReadOnlySpan<byte> message) => identity.Key.Sign(message);

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
