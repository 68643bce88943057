using Ledger.Consensus.Messages;
using Ledger.Core;
using Ledger.Core.Wire;

namespace Ledger.Consensus.Wal;

/// <summary>
/// One record of the consensus WAL: <c>WalRecord { kind = 1, height = 2, message = 3, prepared = 4 }</c>.
/// The file adaptor frames <see cref="Encode"/> (length + checksum) and fsyncs each append; a torn last record is the
/// adaptor's to discard. Consensus only needs the records back, in order.
/// </summary>
public sealed record WalRecord
{
    public required WalRecordKind Kind { get; init; }
    public required ulong Height { get; init; }
    public SignedMessage? Message { get; init; }
    public PreparedCertificate? Prepared { get; init; }

    public static WalRecord Own(SignedMessage message) => new() { Kind = WalRecordKind.OwnMessage, Height = message.Height, Message = message };

    public static WalRecord PreparedAt(ulong height, PreparedCertificate prepared) => new() { Kind = WalRecordKind.Prepared, Height = height, Prepared = prepared };

    public static WalRecord Completed(ulong height) => new() { Kind = WalRecordKind.HeightCompleted, Height = height };

    public byte[] Encode()
    {
        var w = new ProtoWriter(256 + (Message?.Bytes.Length ?? 0));
        w.WriteUInt32(1, (uint)Kind);
        w.WriteUInt64(2, Height);
        if (Message is not null) w.WriteBytes(3, Message.Bytes);
        if (Prepared is not null) w.WriteBytes(4, Prepared.Encode());
        return w.ToArray();
    }

    public static WalRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "WalRecord");
        uint kind = 0;
        ulong height = 0;
        SignedMessage? message = null;
        PreparedCertificate? prepared = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: kind = r.ReadUInt32(); break;
                case 2: height = r.ReadUInt64(); break;
                case 3: message = SignedMessage.Decode(r.ReadBytes()); break;
                case 4: prepared = PreparedCertificate.Decode(r.ReadBytes()); break;
                default: throw r.UnknownField(field);
            }
        }
        var record = new WalRecord
        {
            Kind = kind is >= 1 and <= 3 ? (WalRecordKind)kind : throw r.Invalid($"WAL record kind {kind}"),
            Height = height != 0 ? height : throw r.Missing("WalRecord.height"),
            Message = message,
            Prepared = prepared,
        };
        var consistent = record.Kind switch
        {
            WalRecordKind.OwnMessage => message is not null && prepared is null && message.Height == height,
            WalRecordKind.Prepared => prepared is not null && message is null,
            _ => message is null && prepared is null,
        };
        return consistent ? record : throw new LedgerException(ErrorCode.InvalidFieldValue, $"WalRecord: a {record.Kind} record with the wrong contents");
    }
}
