using Ledger.Core;

namespace Ledger.Chain.Journal;

/// <summary>One admitted tx as the journal keeps it: its envelope bytes, with the id and expiry compaction needs.</summary>
public readonly record struct JournalEntry(Hash32 TxId, long ExpiresAt, ReadOnlyMemory<byte> Envelope);
