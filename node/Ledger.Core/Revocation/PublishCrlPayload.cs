using System.Globalization;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Revocation;

/// <summary>
/// A CA's certificate revocation list published on chain: <c>PublishCrl { crl = 1 }</c> (the CRL's DER), carried in
/// <see cref="TxBody"/> payload field <see cref="Field"/>. A Bureau submits it; the CRL's own SM2 signature, by a CA of
/// genesis, is what makes it authoritative. Once in a block, every certificate it lists is revoked from that point of
/// the chain on (<see cref="RevocationRecord"/>): later txs endorsed by it are refused, and evidence proves whether a
/// signer was revoked before its tx.
/// </summary>
public sealed record PublishCrlPayload
{
    /// <summary>The TxBody oneof field (contract payloads use 16-22 and 25, audit anchors 23).</summary>
    public const int Field = 30;

    /// <summary>
    /// What fits in one tx (128 KiB) beside its certificate and signature: about 3,000 revocations. The chain keeps every
    /// revocation it has recorded, so a CA publishes only what is new since its last CRL on chain (a delta) when its full
    /// list grows past this.
    /// </summary>
    public const int MaxCrlBytes = 120 * 1024;

    public required ReadOnlyMemory<byte> Crl { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(Crl.Length + 8);
        w.WriteBytes(1, Crl.Span);
        return w.ToArray();
    }

    public static PublishCrlPayload Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxCrlBytes + 8)
            throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"PublishCrl: {bytes.Length} bytes"));
        var r = new ProtoReader(bytes, "PublishCrl");
        byte[]? crl = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: crl = r.ReadBytes().ToArray(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new PublishCrlPayload { Crl = crl ?? throw r.Missing("PublishCrl.crl") };
    }

    /// <summary>A tx body carrying this CRL; the submitter (a Bureau certificate) signs its encoding.</summary>
    public TxBody CreateBody(string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId) =>
        TxBody.SubmitterOnly(chainId, nonce, expiresAt, submitterCertificateId, Field, Encode());
}
