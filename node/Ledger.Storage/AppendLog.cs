using System.Buffers.Binary;
using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// A durable append-only file of records — the consensus WAL. Each record is framed as
/// <c>length (4, big-endian) ‖ CRC-32 of the payload (4) ‖ payload</c> and fsynced before <see cref="Append"/>
/// returns. A final record torn by a crash (short, or with a bad checksum) is dropped by <see cref="ReadAll"/>, which
/// truncates the file there so the next append starts on a clean boundary; damage before the end is refused.
/// </summary>
public sealed class AppendLog : IDisposable
{
    public const int MaxRecordBytes = 32 * 1024 * 1024;
    private const int FrameBytes = 8;

    private FileStream _file;
    private readonly Lock _lock = new();

    public AppendLog(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _file = Open(Path);
        // A log just created must not vanish with its directory entry after a power cut: what a validator signed
        // is in it.
        DirectorySync.Flush(System.IO.Path.GetDirectoryName(Path)!);
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.None);
        }
        catch (IOException e)
        {
            throw new LedgerException(StorageErrors.Locked, $"cannot open the log {path}: {e.Message}", e);
        }
    }

    public string Path { get; }

    /// <summary>
    /// Every record, in order. A torn final frame (what a crash in the middle of <see cref="Append"/> leaves: a
    /// short frame, or a last frame whose checksum fails) is cut off the file. A damaged frame with data after it
    /// is not a torn write but corruption: the records after it may be what stops a restarted validator from
    /// signing twice, so nothing is cut and <see cref="AppendLogCorruptException"/> says where.
    /// </summary>
    public IReadOnlyList<byte[]> ReadAll()
    {
        lock (_lock)
        {
            var records = new List<byte[]>();
            _file.Position = 0;
            var fileLength = _file.Length;
            Span<byte> frame = stackalloc byte[FrameBytes];
            long end = 0;
            string? defect = null;
            while (end < fileLength)
            {
                if (_file.ReadAtLeast(frame, FrameBytes, throwOnEndOfStream: false) < FrameBytes)
                {
                    defect = "a short frame header";
                    break;
                }
                var length = BinaryPrimitives.ReadInt32BigEndian(frame);
                var checksum = BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
                if (length is < 0 or > MaxRecordBytes)
                {
                    defect = $"a record length of {length}";
                    break;
                }
                if (end + FrameBytes + length > fileLength)
                {
                    defect = $"a record of {length} bytes that runs past the end of the file";
                    break;
                }
                var payload = new byte[length];
                _file.ReadExactly(payload);
                if (Crc32.Compute(payload) != checksum)
                {
                    // A bad checksum on the very last frame is a torn write; anywhere else the bytes were damaged.
                    if (end + FrameBytes + length < fileLength)
                        throw Corrupt(records.Count, end, fileLength, "a checksum mismatch");
                    defect = "a checksum mismatch";
                    break;
                }
                records.Add(payload);
                end = _file.Position;
            }
            if (defect is not null && HasIntactFrameAfter(end, fileLength))
                throw Corrupt(records.Count, end, fileLength, defect);
            if (fileLength != end)
            {
                _file.SetLength(end);
                _file.Flush(flushToDisk: true);
            }
            _file.Position = end;
            return records;
        }
    }

    private AppendLogCorruptException Corrupt(int index, long offset, long fileLength, string defect) =>
        new(Path, offset, $"{Path} is damaged before its end: record {index} at byte {offset} of {fileLength} has {defect}, and intact data follows; "
            + "refusing to start rather than discard the records after it (restore the file from a backup; move it aside only knowing what it held)");

    /// <summary>
    /// Whether an intact frame (in bounds, non-empty, checksum right) starts anywhere after <paramref name="from"/>:
    /// then what looked like a torn tail is a damaged frame (typically its length) with records after it.
    /// </summary>
    private bool HasIntactFrameAfter(long from, long fileLength)
    {
        var remaining = fileLength - from;
        if (remaining <= FrameBytes) return false;
        var tail = new byte[remaining];
        _file.Position = from;
        _file.ReadExactly(tail);
        for (var i = 1; i + FrameBytes < tail.Length; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(tail.AsSpan(i));
            if (length <= 0 || length > tail.Length - i - FrameBytes) continue;
            if (Crc32.Compute(tail.AsSpan(i + FrameBytes, length)) == BinaryPrimitives.ReadUInt32BigEndian(tail.AsSpan(i + 4))) return true;
        }
        return false;
    }

    /// <summary>Appends one record; durable (fsynced) when this returns.</summary>
    public void Append(ReadOnlySpan<byte> record)
    {
        if (record.Length > MaxRecordBytes) throw new ArgumentException($"a log record is at most {MaxRecordBytes} bytes", nameof(record));
        var framed = new byte[FrameBytes + record.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed, record.Length);
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(4), Crc32.Compute(record));
        record.CopyTo(framed.AsSpan(FrameBytes));
        lock (_lock)
        {
            _file.Seek(0, SeekOrigin.End);
            _file.Write(framed);
            _file.Flush(flushToDisk: true);
        }
    }

    /// <summary>Replaces the log with just these records (compaction after a height completes), atomically via a rename.</summary>
    public void Rewrite(IEnumerable<byte[]> records)
    {
        lock (_lock)
        {
            var temporary = Path + ".tmp";
            Span<byte> frame = stackalloc byte[FrameBytes];
            using (var next = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                foreach (var record in records)
                {
                    BinaryPrimitives.WriteInt32BigEndian(frame, record.Length);
                    BinaryPrimitives.WriteUInt32BigEndian(frame[4..], Crc32.Compute(record));
                    next.Write(frame);
                    next.Write(record);
                }
                next.Flush(flushToDisk: true);
            }
            // The rename is atomic: a crash leaves either the old log or the new one, never a mix.
            _file.Dispose();
            File.Move(temporary, Path, overwrite: true);
            DirectorySync.Flush(System.IO.Path.GetDirectoryName(Path)!);
            _file = Open(Path);
            _file.Seek(0, SeekOrigin.End);
        }
    }

    public void Dispose() => _file.Dispose();
}
