using Ledger.Core.Wire;

namespace Ledger.Core.Transactions;

/// <summary>
/// What a transaction says: <c>TxBody { chain_id = 1, nonce = 2, expires_at = 3, submitter = 4, repeated endorsers = 5,
/// oneof payload = 16..63 }</c>.
/// The payload is kept as its field number and bytes: Core does not know the chaincode's messages,
/// it only guarantees that there is exactly one.
/// </summary>
public sealed class TxBody
{
    public const int FirstPayloadField = 16;

    public required string ChainId { get; init; }

    /// <summary>Chosen by the submitter; with <see cref="Submitter"/> it makes the tx unique.</summary>
    public required ulong Nonce { get; init; }

    /// <summary>Unix milliseconds after which the tx may not enter a block.</summary>
    public required long ExpiresAt { get; init; }

    /// <summary>Id (SM3 of the DER) of the submitter's certificate.</summary>
    public required Hash32 Submitter { get; init; }

    /// <summary>
    /// Every endorsement the envelope carries, in its order (the submitter's Body signature included). Signed with the
    /// body, so they are part of the tx id: an envelope whose endorsements differ is refused, never a rival copy.
    /// </summary>
    public IReadOnlyList<TxEndorser> Endorsers { get; init; } = [];

    /// <summary>Field number of the payload inside the oneof, from <see cref="FirstPayloadField"/> up.</summary>
    public required int PayloadField { get; init; }

    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>
    /// A body that only its submitter endorses (one Body signature, nothing else): the chain's own payloads — audit heads,
    /// CRLs, external anchors — which no party consents to.
    /// </summary>
    public static TxBody SubmitterOnly(string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId, int payloadField, byte[] payload) => new()
    {
        ChainId = chainId,
        Nonce = nonce,
        ExpiresAt = expiresAt,
        Submitter = submitterCertificateId,
        Endorsers = [new TxEndorser(submitterCertificateId, EndorsementScope.Body)],
        PayloadField = payloadField,
        Payload = payload,
    };

    public byte[] Encode()
    {
        if (PayloadField is < FirstPayloadField or > ProtoReader.MaxFieldNumber)
            throw new LedgerException(ErrorCode.UnknownPayload, $"payload field {PayloadField} is outside {FirstPayloadField}..{ProtoReader.MaxFieldNumber}");
        var w = new ProtoWriter(64 + Payload.Length);
        w.WriteString(1, ChainId);
        w.WriteUInt64(2, Nonce);
        w.WriteInt64(3, ExpiresAt);
        w.WriteHash(4, Submitter);
        foreach (var endorser in Endorsers)
        {
            var inner = new ProtoWriter(40);
            endorser.WriteTo(inner);
            w.WriteLengthDelimited(5, inner.WrittenSpan);
        }
        w.WriteLengthDelimited(PayloadField, Payload.Span);
        return w.ToArray();
    }

    public static TxBody Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EncodingLimits.MaxTxBytes)
            throw new LedgerException(ErrorCode.Oversize, $"TxBody: {bytes.Length} bytes, at most {EncodingLimits.MaxTxBytes}");
        var r = new ProtoReader(bytes, "TxBody", 5);
        string? chainId = null;
        ulong nonce = 0;
        long expiresAt = 0;
        Hash32? submitter = null;
        var endorsers = new List<TxEndorser>();
        var payloadField = 0;
        ReadOnlyMemory<byte> payload = default;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: chainId = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 2: nonce = r.ReadUInt64(); break;
                case 3: expiresAt = r.ReadInt64(); break;
                case 4: submitter = r.ReadHash(); break;
                case 5:
                    if (endorsers.Count == EncodingLimits.MaxEndorsements)
                        throw new LedgerException(ErrorCode.TooManyEndorsements, $"TxBody: more than {EncodingLimits.MaxEndorsements} endorsers");
                    endorsers.Add(TxEndorser.Decode(r.ReadLengthDelimited()));
                    break;
                case >= FirstPayloadField when payloadField == 0:
                    payloadField = field;
                    payload = r.ReadLengthDelimited().ToArray();
                    break;
                case >= FirstPayloadField: throw r.Invalid($"TxBody: a second payload (field {field})");
                default: throw r.UnknownField(field);
            }
        }
        return new TxBody
        {
            ChainId = chainId ?? throw r.Missing("TxBody.chain_id"),
            Nonce = nonce,
            ExpiresAt = expiresAt > 0 ? expiresAt : throw r.Missing("TxBody.expires_at"),
            Submitter = submitter ?? throw r.Missing("TxBody.submitter"),
            Endorsers = endorsers,
            PayloadField = payloadField != 0 ? payloadField : throw r.Missing("TxBody.payload"),
            Payload = payload,
        };
    }
}
