using System.Buffers;
using System.Text;

namespace Ledger.Core.Wire;

/// <summary>
/// Writes the protobuf wire format the way Google.Protobuf writes proto3: fields in ascending number,
/// singular fields omitted when they hold the default value, minimal varints. One value has one
/// encoding, so hashes over encodings are stable and <see cref="ProtoReader"/> can insist on it.
/// </summary>
public sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public ProtoWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteUInt64(int field, ulong value)
    {
        if (value == 0) return;
        WriteTag(field, WireType.Varint);
        WriteVarint(value);
    }

    public void WriteUInt32(int field, uint value) => WriteUInt64(field, value);

    /// <summary>Negative values take ten bytes, as in protobuf's int64.</summary>
    public void WriteInt64(int field, long value) => WriteUInt64(field, unchecked((ulong)value));

    public void WriteBool(int field, bool value) => WriteUInt64(field, value ? 1UL : 0UL);

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return;
        WriteLengthDelimited(field, value);
    }

    public void WriteString(int field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        WriteTag(field, WireType.LengthDelimited);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)length);
        var span = _buffer.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        _buffer.Advance(length);
    }

    public void WriteHash(int field, Hash32 value)
    {
        Span<byte> bytes = stackalloc byte[Hash32.Size];
        value.CopyTo(bytes);
        WriteLengthDelimited(field, bytes);
    }

    /// <summary>An embedded message or an element of a repeated bytes field: written even when empty.</summary>
    public void WriteLengthDelimited(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>A repeated scalar field, packed as proto3 packs it by default; omitted when empty.</summary>
    public void WritePackedUInt32(int field, IReadOnlyList<uint> values)
    {
        if (values.Count == 0) return;
        var length = 0;
        foreach (var v in values) length += VarintSize(v);
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)length);
        foreach (var v in values) WriteVarint(v);
    }

    private void WriteTag(int field, WireType wireType)
    {
        if (field is < 1 or > ProtoReader.MaxFieldNumber) throw new ArgumentOutOfRangeException(nameof(field));
        WriteVarint(((ulong)field << 3) | (ulong)wireType);
    }

    private void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _buffer.Advance(i);
    }

    public static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }
}
