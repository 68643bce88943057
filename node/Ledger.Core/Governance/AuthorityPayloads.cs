using System.Globalization;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Governance;

/// <summary>What a proposal does to the chain's city CAs.</summary>
public enum AuthorityChange
{
    /// <summary>A new city CA, certified by the genesis root, for a division no CA of the chain serves.</summary>
    Add = 1,

    /// <summary>
    /// A city CA's successor (a new key and validity, the same division): both issue from the effective height on, so
    /// certificates issued under the old one stay good until that one expires or is retired.
    /// </summary>
    Renew = 2,

    /// <summary>A city CA stops counting: from the effective height no tx endorsed under it is accepted.</summary>
    Retire = 3,
}

/// <summary>
/// A proposal to change the chain's city CAs: <c>ProposeAuthorityChange { change = 1; certificate = 2; authority = 3;
/// effective_height = 4 }</c>, in <see cref="TxBody"/> payload field <see cref="Field"/>. Proposed and voted on like a
/// validator change (<see cref="ProposeValidatorChangePayload"/>, <see cref="GovernanceVotePayload"/>): a validator of the
/// current set submits it, ⌈2n/3⌉ of the set must approve it no later than the activation delay before its effective height.
/// </summary>
public sealed record ProposeAuthorityChangePayload
{
    public const int Field = 52;

    public required AuthorityChange Change { get; init; }

    /// <summary>Add, Renew: the CA's certificate, DER (an intermediate CA certificate issued by the genesis root).</summary>
    public ReadOnlyMemory<byte> Certificate { get; init; }

    /// <summary>Renew: the certificate id of the CA it succeeds; Retire: of the CA that stops counting.</summary>
    public Hash32? Authority { get; init; }

    /// <summary>The first height the change applies to.</summary>
    public required ulong EffectiveHeight { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(Certificate.Length + 96);
        w.WriteUInt32(1, (uint)Change);
        if (!Certificate.IsEmpty) w.WriteBytes(2, Certificate.Span);
        if (Authority is { } authority) w.WriteHash(3, authority);
        w.WriteUInt64(4, EffectiveHeight);
        return w.ToArray();
    }

    /// <summary>Decodes and checks the shape: Add carries a certificate only, Renew a certificate and the CA it succeeds, Retire the CA only.</summary>
    public static ProposeAuthorityChangePayload Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ProposeValidatorChangePayload.MaxCertificateBytes + 256)
            throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"ProposeAuthorityChange: {bytes.Length} bytes"));
        var r = new ProtoReader(bytes, "ProposeAuthorityChange");
        uint change = 0;
        byte[]? certificate = null;
        Hash32? authority = null;
        ulong effective = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: change = r.ReadUInt32(); break;
                case 2: certificate = r.ReadBytes().ToArray(); break;
                case 3: authority = r.ReadHash(); break;
                case 4: effective = r.ReadUInt64(); break;
                default: throw r.UnknownField(field);
            }
        }
        if (effective == 0) throw r.Missing("ProposeAuthorityChange.effective_height");
        switch ((AuthorityChange)change)
        {
            case AuthorityChange.Add:
                if (certificate is null) throw r.Missing("ProposeAuthorityChange.certificate");
                if (authority is not null) throw r.Invalid("ProposeAuthorityChange.authority: an Add names no existing CA (a successor is a Renew)");
                break;
            case AuthorityChange.Renew:
                if (certificate is null) throw r.Missing("ProposeAuthorityChange.certificate");
                if (authority is null) throw r.Missing("ProposeAuthorityChange.authority: a Renew names the CA it succeeds");
                break;
            case AuthorityChange.Retire:
                if (authority is null) throw r.Missing("ProposeAuthorityChange.authority");
                if (certificate is not null) throw r.Invalid("ProposeAuthorityChange: a Retire names the CA's certificate id only");
                break;
            default:
                throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"ProposeAuthorityChange.change: {change} is not Add (1), Renew (2) or Retire (3)"));
        }
        if (certificate is not null && certificate.Length > ProposeValidatorChangePayload.MaxCertificateBytes)
            throw r.Invalid("ProposeAuthorityChange.certificate: too large for a certificate");
        return new ProposeAuthorityChangePayload
        {
            Change = (AuthorityChange)change,
            Certificate = certificate ?? ReadOnlyMemory<byte>.Empty,
            Authority = authority,
            EffectiveHeight = effective,
        };
    }

    /// <summary>A tx body carrying this proposal; the submitter (a validator certificate) signs its encoding.</summary>
    public TxBody CreateBody(string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId) =>
        TxBody.SubmitterOnly(chainId, nonce, expiresAt, submitterCertificateId, Field, Encode());
}

/// <summary>One city CA of the chain: its certificate and the heights it counts for (<c>until</c> 0: no end decided).</summary>
public sealed record ScheduledAuthority(ReadOnlyMemory<byte> Certificate, ulong FromHeight, ulong UntilHeight = 0)
{
    /// <summary>Whether the CA counts at <paramref name="height"/>.</summary>
    public bool CountsAt(ulong height) => FromHeight <= height && (UntilHeight == 0 || height < UntilHeight);

    public bool Equals(ScheduledAuthority? other) =>
        other is not null && FromHeight == other.FromHeight && UntilHeight == other.UntilHeight && Certificate.Span.SequenceEqual(other.Certificate.Span);

    public override int GetHashCode() => HashCode.Combine(FromHeight, UntilHeight, Certificate.Length);
}

/// <summary>
/// The chain's city CAs with the heights each counts for, genesis's first (from height 1), then those governance added, in
/// the order they passed. Written to the state (<see cref="GovernanceKeys.Authorities"/>) the first time a CA change passes;
/// absent while genesis's CAs are all there is. Encoded <c>AuthoritySchedule { repeated Entry entries = 1 }</c>,
/// <c>Entry { certificate = 1; from_height = 2; until_height = 3 }</c>.
/// </summary>
public sealed class AuthoritySchedule
{
    public AuthoritySchedule(IReadOnlyList<ScheduledAuthority> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var e in entries)
            if (e.FromHeight == 0 || (e.UntilHeight != 0 && e.UntilHeight <= e.FromHeight))
                throw new LedgerException(ErrorCode.InvalidFieldValue, "a CA counts from height 1 or later, and until a later height");
        Entries = entries;
    }

    public IReadOnlyList<ScheduledAuthority> Entries { get; }

    /// <summary>Genesis's CAs, each from height 1 with no end.</summary>
    public static AuthoritySchedule FromGenesis(IEnumerable<ReadOnlyMemory<byte>> intermediates) =>
        new([.. intermediates.Select(der => new ScheduledAuthority(der, 1))]);

    public byte[] Encode()
    {
        var w = new ProtoWriter(4096);
        foreach (var e in Entries)
        {
            var entry = new ProtoWriter(e.Certificate.Length + 32);
            entry.WriteBytes(1, e.Certificate.Span);
            entry.WriteUInt64(2, e.FromHeight);
            if (e.UntilHeight != 0) entry.WriteUInt64(3, e.UntilHeight);
            w.WriteLengthDelimited(1, entry.ToArray());
        }
        return w.ToArray();
    }

    public static AuthoritySchedule Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "AuthoritySchedule", 1);
        var entries = new List<ScheduledAuthority>();
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            if (field != 1) throw r.UnknownField(field);
            var e = new ProtoReader(r.ReadLengthDelimited(), "AuthoritySchedule.Entry");
            byte[]? certificate = null;
            ulong from = 0, until = 0;
            for (var f = e.ReadTag(); f != 0; f = e.ReadTag())
            {
                switch (f)
                {
                    case 1: certificate = e.ReadBytes().ToArray(); break;
                    case 2: from = e.ReadUInt64(); break;
                    case 3: until = e.ReadUInt64(); break;
                    default: throw e.UnknownField(f);
                }
            }
            entries.Add(new ScheduledAuthority(certificate ?? throw e.Missing("AuthoritySchedule.Entry.certificate"), from, until));
        }
        return new AuthoritySchedule(entries);
    }
}
