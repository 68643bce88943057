using Ledger.Consensus.Ports;
using Ledger.Consensus.Wal;

namespace Ledger.Consensus.Tests.Fakes;

/// <summary>A WAL that survives a simulated crash. Stores encodings, so every record goes through the on-disk codec.</summary>
public sealed class InMemoryWal : IConsensusWal
{
    private readonly List<byte[]> _records = [];

    public int Count => _records.Count;

    public void Append(WalRecord record) => _records.Add(record.Encode());

    public IReadOnlyList<WalRecord> ReadAll() => _records.Select(r => WalRecord.Decode(r)).ToList();
}
