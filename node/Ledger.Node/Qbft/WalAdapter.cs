using Ledger.Consensus.Ports;
using Ledger.Consensus.Wal;
using Ledger.Storage;

namespace Ledger.Node.Qbft;

/// <summary>
/// The consensus WAL on an fsynced <see cref="AppendLog"/> file of its own (ARCHITECTURE §7). When a height is
/// completed (its block is stored), everything before is no longer needed: the log is compacted to that marker.
/// </summary>
public sealed class WalAdapter(AppendLog log) : IConsensusWal
{
    public void Append(WalRecord record)
    {
        if (record.Kind == WalRecordKind.HeightCompleted) log.Rewrite([record.Encode()]);
        else log.Append(record.Encode());
    }

    public IReadOnlyList<WalRecord> ReadAll() => log.ReadAll().Select(r => WalRecord.Decode(r)).ToArray();
}
