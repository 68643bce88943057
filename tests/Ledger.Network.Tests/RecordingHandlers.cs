using System.Collections.Concurrent;
using Ledger.Core;

namespace Ledger.Network.Tests;

/// <summary>Records what the network hands over; serves the blocks a test puts in.</summary>
internal sealed class RecordingHandlers : IPeerHandlers
{
    private long _height;

    public ConcurrentQueue<(Hash32 From, byte[] Bytes)> Consensus { get; } = new();

    public ConcurrentQueue<byte[]> Transactions { get; } = new();

    public ConcurrentDictionary<ulong, byte[]> Blocks { get; } = new();

    public ulong Height
    {
        get => (ulong)Interlocked.Read(ref _height);
        set => Interlocked.Exchange(ref _height, (long)value);
    }

    public void OnConsensusMessage(Hash32 from, ReadOnlyMemory<byte> message) => Consensus.Enqueue((from, message.ToArray()));

    /// <summary>When set, admission of a gossiped tx blocks until it is set (a node busy checking signatures).</summary>
    public ManualResetEventSlim? HoldTransactions { get; set; }

    public void OnTransaction(ReadOnlyMemory<byte> envelope)
    {
        HoldTransactions?.Wait();
        Transactions.Enqueue(envelope.ToArray());
    }

    public byte[]? GetBlock(ulong height) => Blocks.TryGetValue(height, out var b) ? b : null;

    public bool HasConsensus(byte[] bytes) => Consensus.Any(c => c.Bytes.AsSpan().SequenceEqual(bytes));
}
