using Ledger.Consensus.Wal;

namespace Ledger.Consensus.Ports;

/// <summary>
/// The consensus write-ahead log. <see cref="Append"/> returns only once the record is on disk (fsync): the engine
/// sends a signed message only after it returns, so a restarted validator knows everything it ever signed.
/// An exception from Append stops the engine from sending (the host should treat it as fatal).
/// </summary>
public interface IConsensusWal
{
    void Append(WalRecord record);

    /// <summary>Every record appended (the adaptor may have dropped those below the last completed height), in order.</summary>
    IReadOnlyList<WalRecord> ReadAll();
}
