using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// One small record, overwritten durably: two fixed 512-byte slots, written alternately, each
/// <c>magic "LSF1" ‖ sequence (8) ‖ length (4) ‖ payload ‖ CRC-32 of all before (4)</c>, fsynced before
/// <see cref="Write"/> returns. A crash in the middle of a write tears only the slot being written; the other still
/// holds the record before it, so <see cref="Read"/> always gives the last record that was completely written.
/// One fsync per write, no rename. (The consensus signing watermark.)
/// </summary>
public sealed class SlotFile : IDisposable
{
    public const int SlotBytes = 512;
    public const int MaxPayloadBytes = SlotBytes - HeaderBytes - 4;
    private const int HeaderBytes = 16;
    private static ReadOnlySpan<byte> Magic => "LSF1"u8;

    private readonly SafeFileHandle _handle;
    private readonly Lock _lock = new();
    private ulong _sequence;

    public SlotFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        try
        {
            _handle = File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (IOException e)
        {
            throw new LedgerException(StorageErrors.Locked, $"cannot open {Path}: {e.Message}", e);
        }
        var length = RandomAccess.GetLength(_handle);
        if (length == 0)
        {
            // New (or created by a crash before its first write): two empty slots, and a directory entry that survives a power cut.
            RandomAccess.Write(_handle, new byte[2 * SlotBytes], 0);
            RandomAccess.FlushToDisk(_handle);
            DirectorySync.Flush(System.IO.Path.GetDirectoryName(Path)!);
        }
        else if (length != 2 * SlotBytes)
        {
            _handle.Dispose();
            throw new LedgerException(StorageErrors.Corrupt, $"{Path} is {length} bytes, not {2 * SlotBytes}: not a slot file, or damaged");
        }
        try
        {
            _ = Read(); // learns the sequence, so the next write goes to the older slot
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    public string Path { get; }

    /// <summary>The last record completely written; null when none ever was. Both slots damaged is corruption, not a torn write.</summary>
    public byte[]? Read()
    {
        lock (_lock)
        {
            var buffer = new byte[2 * SlotBytes];
            RandomAccess.Read(_handle, buffer, 0);
            (ulong Sequence, byte[] Payload)? best = null;
            var damaged = 0;
            for (var i = 0; i < 2; i++)
            {
                var slot = buffer.AsSpan(i * SlotBytes, SlotBytes);
                if (!slot.ContainsAnyExcept((byte)0)) continue;
                if (Parse(slot) is not { } record) damaged++;
                else if (best is null || record.Sequence > best.Value.Sequence) best = record;
            }
            if (damaged == 2) throw new LedgerException(StorageErrors.Corrupt, $"{Path}: both slots are damaged");
            _sequence = best?.Sequence ?? 0;
            return best?.Payload;
        }
    }

    /// <summary>Replaces the record; on return it is on disk.</summary>
    public void Write(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayloadBytes) throw new ArgumentException($"at most {MaxPayloadBytes} bytes", nameof(payload));
        lock (_lock)
        {
            var sequence = _sequence + 1;
            var slot = new byte[SlotBytes];
            Magic.CopyTo(slot);
            BinaryPrimitives.WriteUInt64BigEndian(slot.AsSpan(4), sequence);
            BinaryPrimitives.WriteInt32BigEndian(slot.AsSpan(12), payload.Length);
            payload.CopyTo(slot.AsSpan(HeaderBytes));
            var end = HeaderBytes + payload.Length;
            BinaryPrimitives.WriteUInt32BigEndian(slot.AsSpan(end), Crc32.Compute(slot.AsSpan(0, end)));
            RandomAccess.Write(_handle, slot, (long)(sequence % 2) * SlotBytes);
            RandomAccess.FlushToDisk(_handle);
            _sequence = sequence;
        }
    }

    private static (ulong Sequence, byte[] Payload)? Parse(ReadOnlySpan<byte> slot)
    {
        if (!slot.StartsWith(Magic)) return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(slot[12..]);
        if (length < 0 || length > MaxPayloadBytes) return null;
        var end = HeaderBytes + length;
        if (BinaryPrimitives.ReadUInt32BigEndian(slot[end..]) != Crc32.Compute(slot[..end])) return null;
        return (BinaryPrimitives.ReadUInt64BigEndian(slot[4..]), slot[HeaderBytes..end].ToArray());
    }

    public void Dispose() => _handle.Dispose();
}
