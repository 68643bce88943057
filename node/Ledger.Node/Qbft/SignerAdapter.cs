using Ledger.Chain;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Node.Qbft;

/// <summary>
/// This validator's SM2 key, for consensus messages and commit seals: at each height the key of the certificate that
/// decides it (<see cref="NodeIdentities.At"/>), so a validator re-certified by governance signs with its next key from
/// the Replace height on.
/// </summary>
public sealed class SignerAdapter(NodeIdentities identities) : IConsensusSigner
{
    public SignerAdapter(NodeIdentity identity)
        : this(NodeIdentities.Single(identity))
    {
    }

    public Hash32 ValidatorId => identities.Primary.Certificate.Id;

    public byte[] Sign(ReadOnlySpan<byte> message) => identities.Primary.Key.Sign(message);

    public Hash32 ValidatorIdAt(ulong height) => identities.At(height).Certificate.Id;

    public byte[] SignAt(ulong height, ReadOnlySpan<byte> message) => identities.At(height).Key.Sign(message);
}
