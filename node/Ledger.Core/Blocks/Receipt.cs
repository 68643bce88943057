using Ledger.Core.Wire;

namespace Ledger.Core.Blocks;

/// <summary>
/// The outcome of one tx in a block: <c>Receipt { tx_id = 1, code = 2, message = 3, packed warnings = 4 }</c>.
/// A tx that the chaincode refused is still in the block, with its code here, so every submitter gets
/// a final answer.
/// </summary>
public sealed record Receipt
{
    public required Hash32 TxId { get; init; }
    public ErrorCode Code { get; init; }
    public string Message { get; init; } = "";
    public IReadOnlyList<ErrorCode> Warnings { get; init; } = [];

    public bool Succeeded => Code == ErrorCode.Ok;

    public byte[] Encode()
    {
        var w = new ProtoWriter(96);
        w.WriteHash(1, TxId);
        w.WriteUInt32(2, (uint)Code);
        w.WriteString(3, Message);
        w.WritePackedUInt32(4, Warnings.Select(c => (uint)c).ToArray());
        return w.ToArray();
    }

    public static Receipt Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EncodingLimits.MaxMessageBytes + 128)
            throw new LedgerException(ErrorCode.Oversize, $"Receipt: {bytes.Length} bytes");
        var r = new ProtoReader(bytes, "Receipt");
        Hash32? txId = null;
        var code = ErrorCode.Ok;
        var message = "";
        IReadOnlyList<ErrorCode> warnings = [];
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: txId = r.ReadHash(); break;
                case 2: code = (ErrorCode)r.ReadUInt32(); break;
                case 3: message = r.ReadString(EncodingLimits.MaxMessageBytes); break;
                case 4: warnings = r.ReadPackedUInt32(EncodingLimits.MaxWarnings).Select(v => (ErrorCode)v).ToArray(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new Receipt { TxId = txId ?? throw r.Missing("Receipt.tx_id"), Code = code, Message = message, Warnings = warnings };
    }

    public bool Equals(Receipt? other) =>
        other is not null && TxId == other.TxId && Code == other.Code && Message == other.Message && Warnings.SequenceEqual(other.Warnings);

    public override int GetHashCode() => HashCode.Combine(TxId, Code, Message);
}
