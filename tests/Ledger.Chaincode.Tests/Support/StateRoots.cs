using System.Buffers.Binary;
using Ledger.Core;
using Ledger.Core.State;
using Ledger.Crypto;

namespace Ledger.Chaincode.Tests.Support;

/// <summary>A test stand-in for the chain's state root: SM3 over the sorted, length-prefixed (key, value) entries.</summary>
public static class StateRoots
{
    public static Hash32 Of(InMemoryStateStore state)
    {
        using var buffer = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var (key, value) in state.Entries)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, key.Length);
            buffer.Write(length);
            buffer.Write(key);
            BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
            buffer.Write(length);
            buffer.Write(value);
        }
        return Sm3.Hash(buffer.ToArray());
    }
}
