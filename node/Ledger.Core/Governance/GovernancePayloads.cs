using System.Globalization;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Governance;

/// <summary>What a validator-set proposal changes.</summary>
public enum ValidatorChange
{
    /// <summary>A bureau's validator joins the set (its certificate travels in the proposal).</summary>
    Add = 1,

    /// <summary>A validator leaves the set.</summary>
    Remove = 2,

    /// <summary>
    /// A validator of the set takes a new certificate (a renewal before expiry, or a new key for the same bureau): the
    /// member of that name keeps its place with the new certificate.
    /// </summary>
    Replace = 3,
}

/// <summary>
/// A proposal to change the validator set: <c>ProposeValidatorChange { change = 1; name = 2; certificate = 3; validator = 4;
/// effective_height = 5 }</c>, in <see cref="TxBody"/> payload field <see cref="Field"/>. A validator of the current set submits
/// it with its validator certificate, and the submission counts as its approval. The change takes effect at
/// <see cref="EffectiveHeight"/> once a quorum of the current validators approved it at least the genesis activation delay
/// before that height; otherwise it expires.
/// </summary>
public sealed record ProposeValidatorChangePayload
{
    /// <summary>The TxBody oneof field (50-59: governance).</summary>
    public const int Field = 50;

    /// <summary>The most a validator name may take (it is also the name peers and transport certificates use).</summary>
    public const int MaxNameBytes = 64;

    /// <summary>A certificate, DER: a few hundred bytes; anything near this is not one.</summary>
    public const int MaxCertificateBytes = 8 * 1024;

    public required ValidatorChange Change { get; init; }

    /// <summary>Add, Replace: the bureau's validator name (as peers' configs and its transport certificate name it).</summary>
    public string? Name { get; init; }

    /// <summary>Add, Replace: the validator certificate, DER (role Validator, issued under the genesis root).</summary>
    public ReadOnlyMemory<byte> Certificate { get; init; }

    /// <summary>Remove: the certificate id of the validator that leaves.</summary>
    public Hash32? Validator { get; init; }

    /// <summary>The first height the new set decides.</summary>
    public required ulong EffectiveHeight { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(Certificate.Length + 128);
        w.WriteUInt32(1, (uint)Change);
        if (Name is not null) w.WriteString(2, Name);
        if (!Certificate.IsEmpty) w.WriteBytes(3, Certificate.Span);
        if (Validator is { } validator) w.WriteHash(4, validator);
        w.WriteUInt64(5, EffectiveHeight);
        return w.ToArray();
    }

    /// <summary>Decodes and checks the shape: an Add names a validator and carries its certificate, a Remove names the certificate id only.</summary>
    public static ProposeValidatorChangePayload Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxCertificateBytes + 256)
            throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"ProposeValidatorChange: {bytes.Length} bytes"));
        var r = new ProtoReader(bytes, "ProposeValidatorChange");
        uint change = 0;
        string? name = null;
        byte[]? certificate = null;
        Hash32? validator = null;
        ulong effective = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: change = r.ReadUInt32(); break;
                case 2: name = r.ReadString(MaxNameBytes); break;
                case 3: certificate = r.ReadBytes().ToArray(); break;
                case 4: validator = r.ReadHash(); break;
                case 5: effective = r.ReadUInt64(); break;
                default: throw r.UnknownField(field);
            }
        }
        if (effective == 0) throw r.Missing("ProposeValidatorChange.effective_height");
        switch ((ValidatorChange)change)
        {
            case ValidatorChange.Add or ValidatorChange.Replace:
                if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                    throw r.Invalid("ProposeValidatorChange.name: an added or replaced validator is named by letters, digits, '-' or '_'");
                if (certificate is null) throw r.Missing("ProposeValidatorChange.certificate");
                if (certificate.Length > MaxCertificateBytes) throw r.Invalid("ProposeValidatorChange.certificate: too large for a certificate");
                if (validator is not null) throw r.Invalid("ProposeValidatorChange.validator: an Add or Replace names the certificate, not an id");
                break;
            case ValidatorChange.Remove:
                if (validator is null) throw r.Missing("ProposeValidatorChange.validator");
                if (name is not null || certificate is not null) throw r.Invalid("ProposeValidatorChange: a Remove names the validator's certificate id only");
                break;
            default:
                throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"ProposeValidatorChange.change: {change} is not Add (1), Remove (2) or Replace (3)"));
        }
        return new ProposeValidatorChangePayload
        {
            Change = (ValidatorChange)change,
            Name = name,
            Certificate = certificate ?? ReadOnlyMemory<byte>.Empty,
            Validator = validator,
            EffectiveHeight = effective,
        };
    }

    /// <summary>A tx body carrying this proposal; the submitter (a validator certificate) signs its encoding.</summary>
    public TxBody CreateBody(string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId) =>
        TxBody.SubmitterOnly(chainId, nonce, expiresAt, submitterCertificateId, Field, Encode());
}

/// <summary>
/// A validator's vote on a proposal: <c>GovernanceVote { proposal = 1; approve = 2 }</c>, in payload field <see cref="Field"/>;
/// the proposal is named by the tx id of its <see cref="ProposeValidatorChangePayload"/> or <see cref="ProposeAuthorityChangePayload"/>.
/// </summary>
public sealed record GovernanceVotePayload
{
    public const int Field = 51;

    public required Hash32 Proposal { get; init; }

    public required bool Approve { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(48);
        w.WriteHash(1, Proposal);
        w.WriteBool(2, Approve);
        return w.ToArray();
    }

    public static GovernanceVotePayload Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 128) throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"GovernanceVote: {bytes.Length} bytes"));
        var r = new ProtoReader(bytes, "GovernanceVote");
        Hash32? proposal = null;
        var approve = false;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: proposal = r.ReadHash(); break;
                case 2: approve = r.ReadBool(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new GovernanceVotePayload { Proposal = proposal ?? throw r.Missing("GovernanceVote.proposal"), Approve = approve };
    }

    public TxBody CreateBody(string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId) =>
        TxBody.SubmitterOnly(chainId, nonce, expiresAt, submitterCertificateId, Field, Encode());

    public static bool IsGovernancePayload(int field) => field is ProposeValidatorChangePayload.Field or ProposeAuthorityChangePayload.Field or ProposeParameterChangePayload.Field or Field;
}
