namespace Ledger.Storage;

/// <summary>
/// A read-only view of the first <c>length</c> bytes of a file that a store has frozen for a snapshot; disposing it
/// tells the store the snapshot is over (<see cref="LiteDbKeyValueStore.OpenSnapshot"/>).
/// </summary>
internal sealed class SnapshotStream(FileStream file, long length, Action ended) : Stream
{
    private long _position;
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0) return 0;
        var read = RandomAccess.Read(file.SafeFileHandle, buffer[..wanted], _position);
        if (read == 0) throw new IOException($"{file.Name} ended at byte {_position} of the {length} frozen for the snapshot");
        _position += read;
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_ended)
        {
            _ended = true;
            file.Dispose();
            ended();
        }
        base.Dispose(disposing);
    }
}
