using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Chain.Production;

/// <summary>Makes this validator's SM2 seal over (chain id, height, round, block hash).</summary>
public sealed class BlockSealer(string chainId, NodeIdentity identity)
{
    public Hash32 ValidatorId => identity.Certificate.Id;

    public CommitSeal Seal(ulong height, uint round, Hash32 blockHash) =>
        new(identity.Certificate.Id, identity.Key.Sign(CommitSeal.SigningMessage(chainId, height, round, blockHash)));
}
