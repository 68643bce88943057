using Ledger.Core;

namespace Ledger.Chain.Journal;

/// <summary>
/// Where admitted txs become durable before a client is told OK (ARCHITECTURE §5: an acknowledged tx survives a
/// crash of the node that acknowledged it). Entries leave once committed or expired.
/// </summary>
public interface ITxJournal : IDisposable
{
    /// <summary>The envelopes journaled before the last stop or crash, oldest first (read once, at startup).</summary>
    IReadOnlyList<ReadOnlyMemory<byte>> Recover();

    /// <summary>After replay: the journal holds exactly these (the ones admitted again; the others are dropped).</summary>
    void Reset(IReadOnlyList<JournalEntry> live);

    /// <summary>Completes when the entry is on disk (fsynced); concurrent appends share one write and one fsync.</summary>
    Task AppendAsync(JournalEntry entry);

    /// <summary>These txs are in a committed block: their entries are no longer needed.</summary>
    void Committed(IReadOnlyList<Hash32> txIds);

    /// <summary>Entries kept (admitted, not yet committed or expired).</summary>
    int Count { get; }
}
