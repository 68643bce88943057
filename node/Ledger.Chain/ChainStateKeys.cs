using System.Buffers.Binary;
using Ledger.Core;

namespace Ledger.Chain;

/// <summary>
/// The chain's own keys in the world state (chaincode owns 0x10 and up). Declared once, checked by tests
/// against the chaincode's prefixes.
/// </summary>
public static class ChainStateKeys
{
    /// <summary>0x01 ‖ submitter certificate id ‖ nonce (8, big-endian) → tx id: a (submitter, nonce) pair is used once, forever.</summary>
    public const byte NoncePrefix = 0x01;

    /// <summary>0x02 → SM3 of genesis.json: the one entry of the genesis state, so block 0's state root names its genesis.</summary>
    public const byte GenesisPrefix = 0x02;

    public static byte[] Genesis => [GenesisPrefix];

    public static byte[] Nonce(Hash32 submitter, ulong nonce)
    {
        var key = new byte[1 + Hash32.Size + 8];
        key[0] = NoncePrefix;
        submitter.CopyTo(key.AsSpan(1));
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1 + Hash32.Size), nonce);
        return key;
    }
}
