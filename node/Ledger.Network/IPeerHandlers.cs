using Ledger.Core;

namespace Ledger.Network;

/// <summary>
/// What the network hands to the node. Called from network threads, concurrently: implementations must be
/// thread-safe and quick (enqueue, do not process inline).
/// </summary>
public interface IPeerHandlers
{
    /// <summary>A consensus message from an authenticated validator, bytes as received; feed it to the engine's loop.</summary>
    void OnConsensusMessage(Hash32 from, ReadOnlyMemory<byte> message);

    /// <summary>A gossiped transaction envelope; admission may refuse it (gossip is best effort).</summary>
    void OnTransaction(ReadOnlyMemory<byte> envelope);

    /// <summary>Our committed head.</summary>
    ulong Height { get; }

    /// <summary>The encoded block at a height with its commit certificate, or null if we do not have it.</summary>
    byte[]? GetBlock(ulong height);
}
