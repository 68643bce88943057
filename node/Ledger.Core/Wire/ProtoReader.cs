using System.Text;

namespace Ledger.Core.Wire;

/// <summary>
/// A strict reader of the protobuf wire format: it accepts exactly what <see cref="ProtoWriter"/> writes.
/// Fields must come in ascending order (a field may repeat only if the decoder declared it repeated),
/// varints must be minimal, lengths must fit, singular fields must not hold their default value.
/// Every violation is a <see cref="LedgerException"/> with its own code; nothing else escapes.
/// </summary>
public ref struct ProtoReader
{
    public const int MaxFieldNumber = 63;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly ulong _repeatedFields;
    private readonly string _message;
    private int _position;
    private int _lastField;
    private WireType _wireType;

    /// <param name="data">The encoded message.</param>
    /// <param name="message">Its name, for error messages.</param>
    /// <param name="repeatedFields">Field numbers that may occur more than once (consecutively).</param>
    public ProtoReader(ReadOnlySpan<byte> data, string message, params ReadOnlySpan<int> repeatedFields)
    {
        _data = data;
        _message = message;
        foreach (var f in repeatedFields) _repeatedFields |= 1UL << f;
    }

    public readonly bool End => _position >= _data.Length;

    /// <summary>Reads the next tag and returns its field number; 0 at the end of the message.</summary>
    public int ReadTag()
    {
        if (End) return 0;
        var tag = ReadRawVarint();
        var field = tag >> 3;
        var wire = (int)(tag & 7);
        if (field is 0 or > MaxFieldNumber) throw Fail(ErrorCode.UnknownField, $"field number {field}");
        if (wire is not ((int)WireType.Varint or (int)WireType.LengthDelimited))
            throw Fail(ErrorCode.WrongWireType, $"wire type {wire} in field {field}");
        var number = (int)field;
        if (number < _lastField || (number == _lastField && (_repeatedFields & (1UL << number)) == 0))
            throw Fail(ErrorCode.FieldOutOfOrder, $"field {number} after field {_lastField}");
        _lastField = number;
        _wireType = (WireType)wire;
        return number;
    }

    public ulong ReadUInt64()
    {
        Expect(WireType.Varint);
        var value = ReadRawVarint();
        if (value == 0) throw Fail(ErrorCode.NonCanonicalEncoding, $"field {_lastField} holds its default value");
        return value;
    }

    public uint ReadUInt32()
    {
        var value = ReadUInt64();
        return value <= uint.MaxValue ? (uint)value : throw Fail(ErrorCode.InvalidFieldValue, $"field {_lastField} exceeds 32 bits");
    }

    public long ReadInt64() => unchecked((long)ReadUInt64());

    public bool ReadBool() =>
        ReadUInt64() == 1 ? true : throw Fail(ErrorCode.InvalidFieldValue, $"field {_lastField} is not a boolean");

    /// <summary>A singular bytes field: must not be empty (empty is the default, and is omitted).</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var value = ReadLengthDelimited();
        if (value.IsEmpty) throw Fail(ErrorCode.NonCanonicalEncoding, $"field {_lastField} holds its default value");
        return value;
    }

    /// <summary>An embedded message or an element of a repeated bytes field: may be empty.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        Expect(WireType.LengthDelimited);
        var length = ReadRawVarint();
        if (length > (ulong)(_data.Length - _position))
            throw Fail(ErrorCode.Truncated, $"field {_lastField} claims {length} bytes, {_data.Length - _position} left");
        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    public Hash32 ReadHash()
    {
        var value = ReadBytes();
        if (value.Length != Hash32.Size) throw Fail(ErrorCode.InvalidFieldValue, $"field {_lastField} is {value.Length} bytes, a hash is 32");
        return new Hash32(value);
    }

    public string ReadString(int maxBytes)
    {
        var bytes = ReadBytes();
        if (bytes.Length > maxBytes) throw Fail(ErrorCode.Oversize, $"field {_lastField} is {bytes.Length} bytes, at most {maxBytes}");
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Fail(ErrorCode.InvalidFieldValue, $"field {_lastField} is not UTF-8");
        }
    }

    public List<uint> ReadPackedUInt32(int maxCount)
    {
        var packed = ReadBytes();
        var inner = new ProtoReader(packed, _message);
        var values = new List<uint>();
        while (!inner.End)
        {
            if (values.Count == maxCount) throw Fail(ErrorCode.Oversize, $"field {_lastField} has more than {maxCount} values");
            var v = inner.ReadRawVarint();
            values.Add(v <= uint.MaxValue ? (uint)v : throw Fail(ErrorCode.InvalidFieldValue, $"field {_lastField} exceeds 32 bits"));
        }
        return values;
    }

    /// <summary>Skips the current field's value, whatever it is: for readers that look at some fields of a message only.</summary>
    public void SkipValue()
    {
        if (_wireType == WireType.Varint) ReadRawVarint();
        else ReadLengthDelimited();
    }

    /// <summary>For a field the decoder does not know.</summary>
    public readonly LedgerException UnknownField(int field) => Fail(ErrorCode.UnknownField, $"unknown field {field}");

    public readonly LedgerException Missing(string field) => Fail(ErrorCode.MissingField, $"{field} is missing");

    public readonly LedgerException Invalid(string what) => Fail(ErrorCode.InvalidFieldValue, what);

    private readonly void Expect(WireType wireType)
    {
        if (_wireType != wireType) throw Fail(ErrorCode.WrongWireType, $"field {_lastField} has the wrong wire type");
    }

    private ulong ReadRawVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length) throw Fail(ErrorCode.Truncated, "varint cut short");
            var b = _data[_position++];
            if (shift == 63 && b > 1) throw Fail(ErrorCode.MalformedVarint, "varint exceeds 64 bits");
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                if (b == 0 && shift > 0) throw Fail(ErrorCode.NonCanonicalEncoding, "varint is not minimal");
                return result;
            }
        }
        throw Fail(ErrorCode.MalformedVarint, "varint longer than 10 bytes");
    }

    private readonly LedgerException Fail(ErrorCode code, string detail) =>
        new(code, $"{_message}: {detail} (at byte {_position})");
}
