using Ledger.Core;

namespace Ledger.Chain.Journal;

/// <summary>No journal: admitted txs live in memory only (tests, benchmarks' baseline, in-memory nodes).</summary>
public sealed class NullTxJournal : ITxJournal
{
    public static readonly NullTxJournal Instance = new();

    public IReadOnlyList<ReadOnlyMemory<byte>> Recover() => [];

    public void Reset(IReadOnlyList<JournalEntry> live)
    {
    }

    public Task AppendAsync(JournalEntry entry) => Task.CompletedTask;

    public void Committed(IReadOnlyList<Hash32> txIds)
    {
    }

    public int Count => 0;

    public void Dispose()
    {
    }
}
