using Ledger.Core.Crypto;
using Ledger.Core.Wire;

namespace Ledger.Core.Transactions;

/// <summary>
/// A transaction as submitted: <c>TxEnvelope { body = 1, repeated endorsements = 2 }</c>. The body stays
/// as the bytes received; its SM3 is the tx id, and signatures are checked over those bytes, never over
/// a re-encoding.
/// </summary>
public sealed class TxEnvelope
{
    private TxBody? _decodedBody;

    public required ReadOnlyMemory<byte> BodyBytes { get; init; }

    public required IReadOnlyList<Endorsement> Endorsements { get; init; }

    /// <summary>The decoded body (decoded once, on first use).</summary>
    public TxBody Body => _decodedBody ??= TxBody.Decode(BodyBytes.Span);

    public Hash32 ComputeId(IHasher hasher) => hasher.Hash(BodyBytes.Span);

    /// <summary>
    /// Whether the endorsements carried are exactly those the body lists, in order — checked before any signature,
    /// so a copy stripped of a party's consent (same body, same id) is refused rather than admitted in its place.
    /// </summary>
    public ValidationResult CheckEndorsersListed(IHasher hasher)
    {
        var listed = Body.Endorsers;
        if (listed.Count == 0)
            return ValidationResult.Fail(ErrorCode.EndorsementsNotListed, "the body lists no endorsers (it must list every endorsement the envelope carries)");
        if (listed.Count != Endorsements.Count)
            return ValidationResult.Fail(ErrorCode.EndorsementsNotListed, $"the body lists {listed.Count} endorsements, the envelope carries {Endorsements.Count}");
        for (var i = 0; i < listed.Count; i++)
        {
            var carried = TxEndorser.Of(Endorsements[i], hasher);
            if (carried != listed[i])
                return ValidationResult.Fail(ErrorCode.EndorsementsNotListed, $"endorsement {i} is by {carried.Signer} ({carried.Scope}), the body lists {listed[i].Signer} ({listed[i].Scope})");
        }
        return ValidationResult.Valid;
    }

    public static TxEnvelope Create(TxBody body, IReadOnlyList<Endorsement> endorsements) =>
        new() { BodyBytes = body.Encode(), Endorsements = endorsements, _decodedBody = body };

    public byte[] Encode()
    {
        var w = new ProtoWriter(BodyBytes.Length + 700 * Endorsements.Count);
        w.WriteBytes(1, BodyBytes.Span);
        foreach (var e in Endorsements)
        {
            var inner = new ProtoWriter(e.Certificate.Length + 160);
            e.WriteTo(inner);
            w.WriteLengthDelimited(2, inner.WrittenSpan);
        }
        return w.ToArray();
    }

    /// <summary>Decodes the envelope and its body; any defect is a <see cref="LedgerException"/>.</summary>
    public static TxEnvelope Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EncodingLimits.MaxTxBytes)
            throw new LedgerException(ErrorCode.Oversize, $"TxEnvelope: {bytes.Length} bytes, at most {EncodingLimits.MaxTxBytes}");
        var r = new ProtoReader(bytes, "TxEnvelope", 2);
        ReadOnlyMemory<byte> body = default;
        var endorsements = new List<Endorsement>();
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: body = r.ReadBytes().ToArray(); break;
                case 2:
                    if (endorsements.Count == EncodingLimits.MaxEndorsements)
                        throw new LedgerException(ErrorCode.TooManyEndorsements, $"TxEnvelope: more than {EncodingLimits.MaxEndorsements} endorsements");
                    endorsements.Add(Endorsement.Decode(r.ReadLengthDelimited()));
                    break;
                default: throw r.UnknownField(field);
            }
        }
        if (body.IsEmpty) throw r.Missing("TxEnvelope.body");
        var envelope = new TxEnvelope { BodyBytes = body, Endorsements = endorsements };
        envelope._decodedBody = TxBody.Decode(body.Span);
        return envelope;
    }
}
