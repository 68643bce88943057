using System.Buffers.Binary;
using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// A durable append-only file of records — the consensus WAL. Each record is framed as
/// <c>length (4, big-endian) ‖ CRC-32 of the payload (4) ‖ payload</c> and fsynced before <see cref="Append"/>
/// returns. A record torn by a crash (short, or with a bad checksum) ends the log: <see cref="ReadAll"/> drops it
/// and truncates the file there, so the next append starts on a clean boundary.
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

    /// <summary>Every intact record, in order; a torn tail is cut off the file.</summary>
    public IReadOnlyList<byte[]> ReadAll()
    {
        lock (_lock)
        {
            var records = new List<byte[]>();
            _file.Position = 0;
            Span<byte> frame = stackalloc byte[FrameBytes];
            long end = 0;
            while (true)
            {
                if (_file.ReadAtLeast(frame, FrameBytes, throwOnEndOfStream: false) < FrameBytes) break;
                var length = BinaryPrimitives.ReadInt32BigEndian(frame);
                var checksum = BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
                if (length is < 0 or > MaxRecordBytes) break;
                var payload = new byte[length];
                if (_file.ReadAtLeast(payload, length, throwOnEndOfStream: false) < length) break;
                if (Crc32.Compute(payload) != checksum) break;
                records.Add(payload);
                end = _file.Position;
            }
            if (_file.Length != end)
            {
                _file.SetLength(end);
                _file.Flush(flushToDisk: true);
            }
            _file.Position = end;
            return records;
        }
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
