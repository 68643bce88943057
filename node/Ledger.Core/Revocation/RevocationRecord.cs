using System.Globalization;
using Ledger.Core.Wire;

namespace Ledger.Core.Revocation;

/// <summary>
/// What the chain knows of one revoked certificate, under <see cref="RevocationKeys.Revoked"/>: where the CRL that first
/// listed it was published — <c>RevocationRecord { height = 1, tx_index = 2, tx_id = 3, revoked_at = 4 }</c> — and the
/// revocation date the CA wrote (unix ms). The chain's knowledge starts at (height, tx_index): a tx after that point
/// endorsed by the certificate is refused, one before it stands. The CA's date may be earlier (a key found stolen days
/// ago); evidence shows it, and the court weighs it.
/// </summary>
public sealed record RevocationRecord(ulong Height, uint TxIndex, Hash32 TxId, long RevokedAt)
{
    public byte[] Encode()
    {
        var w = new ProtoWriter(64);
        w.WriteUInt64(1, Height);
        w.WriteUInt32(2, TxIndex);
        w.WriteHash(3, TxId);
        w.WriteInt64(4, RevokedAt);
        return w.ToArray();
    }

    /// <summary>True when the chain knew of the revocation before the tx at (<paramref name="height"/>, <paramref name="txIndex"/>).</summary>
    public bool Precedes(ulong height, long txIndex) => Height < height || (Height == height && TxIndex < txIndex);

    public static RevocationRecord Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 256)
            throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"RevocationRecord: {bytes.Length} bytes"));
        var r = new ProtoReader(bytes, "RevocationRecord");
        ulong height = 0;
        uint index = 0;
        Hash32? txId = null;
        long revokedAt = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: height = r.ReadUInt64(); break;
                case 2: index = r.ReadUInt32(); break;
                case 3: txId = r.ReadHash(); break;
                case 4: revokedAt = r.ReadInt64(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new RevocationRecord(height != 0 ? height : throw r.Missing("RevocationRecord.height"), index,
            txId ?? throw r.Missing("RevocationRecord.tx_id"), revokedAt);
    }
}
