using System.Buffers.Binary;
using Ledger.Core;
using Ledger.Storage;

namespace Ledger.Chain.Journal;

/// <summary>
/// The tx journal on an <see cref="AppendLog"/> file: admitted envelopes, fsynced before the client hears OK.
/// Group commit: appends that arrive while a write is under way wait for the next one, so many concurrent
/// submissions share one write and one fsync; each write is one log record (a batch of entries), so a crash can
/// only tear the final record, which <see cref="AppendLog"/> cuts, and damage before the end refuses to start.
/// Entries leave the journal when their tx commits or expires: once the file holds more than twice the live bytes
/// (plus some slack) it is rewritten with just the live entries, atomically.
/// </summary>
public sealed class TxJournal : ITxJournal
{
    /// <summary>The most entry bytes one write carries (a log record is at most <see cref="AppendLog.MaxRecordBytes"/>).</summary>
    public const int MaxBatchBytes = 8 * 1024 * 1024;

    /// <summary>Dead bytes tolerated before compaction, beyond the live bytes themselves.</summary>
    public const long CompactionSlackBytes = 4 * 1024 * 1024;

    private const int EntryHeaderBytes = 4;

    private readonly AppendLog _log;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Lock _writeGate = new();
    private readonly Dictionary<Hash32, (long Sequence, JournalEntry Entry)> _live = new();
    private List<(JournalEntry Entry, TaskCompletionSource Done)> _pending = new();
    private long _sequence;
    private long _liveBytes;
    private long _fileBytes;
    private bool _flushing;
    private bool _disposed;
    private long _writes;
    private long _compactions;

    public TxJournal(string path, TimeProvider? time = null)
    {
        _log = new AppendLog(path);
        _time = time ?? TimeProvider.System;
    }

    public string Path => _log.Path;

    /// <summary>Writes (each one fsync) so far: with many concurrent submitters, far fewer than entries.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    public long Compactions => Interlocked.Read(ref _compactions);

    public int Count
    {
        get
        {
            lock (_lock) return _live.Count;
        }
    }

    public IReadOnlyList<ReadOnlyMemory<byte>> Recover()
    {
        lock (_writeGate)
        {
            var envelopes = new List<ReadOnlyMemory<byte>>();
            var records = _log.ReadAll();
            long bytes = 0;
            for (var i = 0; i < records.Count; i++)
            {
                Decode(records[i], i, envelopes);
                bytes += records[i].Length;
            }
            lock (_lock) _fileBytes = bytes;
            return envelopes;
        }
    }

    public void Reset(IReadOnlyList<JournalEntry> live)
    {
        lock (_writeGate)
        {
            lock (_lock)
            {
                _live.Clear();
                _liveBytes = 0;
                foreach (var entry in live) Track(entry);
            }
            Compact();
        }
    }

    public Task AppendAsync(JournalEntry entry)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _pending.Add((entry, done));
            Track(entry);
            start = !_flushing;
            _flushing = true;
        }
        if (start) ThreadPool.UnsafeQueueUserWorkItem(static journal => journal.Flush(), this, preferLocal: false);
        return done.Task;
    }

    public void Committed(IReadOnlyList<Hash32> txIds)
    {
        bool start;
        lock (_lock)
        {
            foreach (var id in txIds)
                if (_live.Remove(id, out var gone)) _liveBytes -= EntryHeaderBytes + gone.Entry.Envelope.Length;
            start = !_disposed && !_flushing && CompactionDue;
            if (start) _flushing = true;
        }
        if (start) ThreadPool.UnsafeQueueUserWorkItem(static journal => journal.Flush(), this, preferLocal: false);
    }

    private bool CompactionDue => _fileBytes > 2 * _liveBytes + CompactionSlackBytes;

    private void Track(JournalEntry entry)
    {
        if (_live.ContainsKey(entry.TxId)) return;
        _live[entry.TxId] = (_sequence++, entry);
        _liveBytes += EntryHeaderBytes + entry.Envelope.Length;
    }

    /// <summary>The one writer: takes what is pending, writes it as one record with one fsync, completes its waiters; compacts when due.</summary>
    private void Flush()
    {
        while (true)
        {
            List<(JournalEntry Entry, TaskCompletionSource Done)> batch;
            bool compact;
            lock (_lock)
            {
                if (_disposed || (_pending.Count == 0 && !CompactionDue))
                {
                    _flushing = false;
                    return;
                }
                batch = TakeBatch();
                compact = CompactionDue;
            }
            lock (_writeGate)
            {
                if (batch.Count > 0) Write(batch);
                if (compact && !Volatile.Read(ref _disposed)) TryCompact();
            }
        }
    }

    private List<(JournalEntry Entry, TaskCompletionSource Done)> TakeBatch()
    {
        var bytes = 0L;
        var take = 0;
        while (take < _pending.Count && (take == 0 || bytes + EntryHeaderBytes + _pending[take].Entry.Envelope.Length <= MaxBatchBytes))
            bytes += EntryHeaderBytes + _pending[take++].Entry.Envelope.Length;
        if (take == _pending.Count)
        {
            var all = _pending;
            _pending = new List<(JournalEntry, TaskCompletionSource)>(Math.Max(16, all.Count));
            return all;
        }
        var batch = _pending.GetRange(0, take);
        _pending.RemoveRange(0, take);
        return batch;
    }

    private void Write(List<(JournalEntry Entry, TaskCompletionSource Done)> batch)
    {
        try
        {
            var record = Encode(batch.Select(b => b.Entry));
            _log.Append(record);
            Interlocked.Increment(ref _writes);
            lock (_lock) _fileBytes += record.Length;
        }
        catch (Exception e)
        {
            lock (_lock)
                foreach (var (entry, _) in batch)
                    if (_live.Remove(entry.TxId, out var gone)) _liveBytes -= EntryHeaderBytes + gone.Entry.Envelope.Length;
            foreach (var (_, done) in batch) done.TrySetException(e);
            return;
        }
        foreach (var (_, done) in batch) done.TrySetResult();
    }

    private void TryCompact()
    {
        try
        {
            Compact();
        }
        catch (IOException)
        {
            // The old file is intact (the rewrite is a rename); the next trigger tries again.
        }
    }

    /// <summary>Rewrites the file with the live, unexpired entries, oldest first. Called holding the write gate.</summary>
    private void Compact()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        List<JournalEntry> keep;
        lock (_lock)
        {
            foreach (var expired in _live.Where(e => e.Value.Entry.ExpiresAt <= now).Select(e => e.Key).ToArray())
                if (_live.Remove(expired, out var gone)) _liveBytes -= EntryHeaderBytes + gone.Entry.Envelope.Length;
            keep = _live.Values.OrderBy(e => e.Sequence).Select(e => e.Entry).ToList();
        }
        var records = new List<byte[]>();
        var start = 0;
        long bytes = 0;
        for (var i = 0; i <= keep.Count; i++)
        {
            if (i < keep.Count && (i == start || bytes + EntryHeaderBytes + keep[i].Envelope.Length <= MaxBatchBytes))
            {
                bytes += EntryHeaderBytes + keep[i].Envelope.Length;
                continue;
            }
            if (i > start) records.Add(Encode(keep.Skip(start).Take(i - start)));
            if (i == keep.Count) break;
            start = i;
            bytes = EntryHeaderBytes + keep[i].Envelope.Length;
        }
        _log.Rewrite(records);
        Interlocked.Increment(ref _compactions);
        lock (_lock) _fileBytes = records.Sum(r => (long)r.Length);
    }

    private static byte[] Encode(IEnumerable<JournalEntry> entries)
    {
        var list = entries as IReadOnlyCollection<JournalEntry> ?? entries.ToList();
        var record = new byte[list.Sum(e => EntryHeaderBytes + e.Envelope.Length)];
        var at = 0;
        foreach (var entry in list)
        {
            BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(at), entry.Envelope.Length);
            entry.Envelope.Span.CopyTo(record.AsSpan(at + EntryHeaderBytes));
            at += EntryHeaderBytes + entry.Envelope.Length;
        }
        return record;
    }

    private void Decode(byte[] record, int index, List<ReadOnlyMemory<byte>> into)
    {
        var at = 0;
        while (at < record.Length)
        {
            var length = record.Length - at >= EntryHeaderBytes ? BinaryPrimitives.ReadInt32BigEndian(record.AsSpan(at)) : -1;
            if (length <= 0 || length > record.Length - at - EntryHeaderBytes)
                throw new LedgerException(ErrorCode.StorageCorrupt, $"{Path}: record {index} is not a batch of journaled txs (entry at byte {at}); refusing to start");
            into.Add(record.AsMemory(at + EntryHeaderBytes, length));
            at += EntryHeaderBytes + length;
        }
    }

    public void Dispose()
    {
        List<(JournalEntry Entry, TaskCompletionSource Done)> abandoned;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            abandoned = _pending;
            _pending = [];
        }
        lock (_writeGate) _log.Dispose();
        foreach (var (_, done) in abandoned) done.TrySetException(new ObjectDisposedException(nameof(TxJournal)));
    }
}
