using Ledger.Chain;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Node.Qbft;

/// <summary>This validator's SM2 key, for consensus messages and commit seals.</summary>
public sealed class SignerAdapter(NodeIdentity identity) : IConsensusSigner
{
    public Hash32 ValidatorId => identity.Certificate.Id;

    public byte[] Sign(ReadOnlySpan<byte> message) => identity.Key.Sign(message);
}
