using System.Globalization;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Audit;

/// <summary>
/// A signer service anchors the head of its hash-chained audit log on the ledger:
/// <c>AuditAnchor { sequence = 1, head_hash = 2 }</c>, carried in <see cref="TxBody"/> payload field
/// <see cref="Field"/>. The chaincode keeps the latest head per submitting key and refuses one that does not
/// advance. It has no statement: only the submitter (a Bureau certificate) signs it, over the body.
/// </summary>
public sealed record AuditAnchorPayload
{
    /// <summary>The TxBody oneof field (contract payloads use 16-22 and 25).</summary>
    public const int Field = 23;

    /// <summary>Sequence number of the newest record in the log (records count from 1).</summary>
    public required ulong Sequence { get; init; }

    /// <summary>That record's chained hash.</summary>
    public required Hash32 HeadHash { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(48);
        w.WriteUInt64(1, Sequence);
        w.WriteHash(2, HeadHash);
        return w.ToArray();
    }

    public static AuditAnchorPayload Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EncodingLimits.MaxMessageBytes)
            throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"AuditAnchor: {bytes.Length} bytes"));
        var r = new ProtoReader(bytes, "AuditAnchor");
        ulong sequence = 0;
        Hash32? head = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: sequence = r.ReadUInt64(); break;
                case 2: head = r.ReadHash(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new AuditAnchorPayload
        {
            Sequence = sequence != 0 ? sequence : throw r.Missing("AuditAnchor.sequence"),
            HeadHash = head ?? throw r.Missing("AuditAnchor.head_hash"),
        };
    }

    /// <summary>A tx body carrying this anchor; the submitter (the signer's Bureau certificate) signs its encoding.</summary>
    public TxBody CreateBody(string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId) =>
        TxBody.SubmitterOnly(chainId, nonce, expiresAt, submitterCertificateId, Field, Encode());
}
