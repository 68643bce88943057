namespace Ledger.Core.State;

/// <summary>
/// The key-value view chaincode executes against: one tx's snapshot of the world state. Keys and values
/// are opaque bytes; chaincode owns its key prefixes.
/// </summary>
public interface IStateStore
{
    byte[]? Get(ReadOnlySpan<byte> key);

    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Delete(ReadOnlySpan<byte> key);
}
