using System.Globalization;
using Ledger.Core.Wire;

namespace Ledger.Core.Governance;

/// <summary>
/// Governance entries in the world state (the chain owns prefixes below 0x10):
/// <list type="bullet">
/// <item>0x05 → <see cref="ValidatorSchedule"/>: every validator set the chain has had or will have, by first height (absent
/// while the genesis set is the only one);</item>
/// <item>0x06 ‖ proposal tx id → <see cref="ProposalRecord"/>;</item>
/// <item>0x07 → <see cref="AuthoritySchedule"/>: the chain's city CAs and the heights each counts for (absent while genesis's
/// are all there is);</item>
/// <item>0x08 → <see cref="ParameterSchedule"/>: the parameter values governance scheduled (absent while genesis's hold).</item>
/// </list>
/// All sit under the state root, so a state proof shows a height's validator set, its CAs and how a proposal was decided.
/// </summary>
public static class GovernanceKeys
{
    public const byte SchedulePrefix = 0x05;
    public const byte ProposalPrefix = 0x06;
    public const byte AuthoritiesPrefix = 0x07;
    public const byte ParametersPrefix = 0x08;

    public static byte[] Schedule => [SchedulePrefix];

    public static byte[] Authorities => [AuthoritiesPrefix];

    public static byte[] Parameters => [ParametersPrefix];

    public static byte[] Proposal(Hash32 proposalId)
    {
        var key = new byte[1 + Hash32.Size];
        key[0] = ProposalPrefix;
        proposalId.CopyTo(key.AsSpan(1));
        return key;
    }
}

/// <summary>One validator of a set: its name (peers and transport certificates use it) and its certificate, DER.</summary>
public sealed record ValidatorMember(string Name, ReadOnlyMemory<byte> Certificate)
{
    public bool Equals(ValidatorMember? other) => other is not null && Name == other.Name && Certificate.Span.SequenceEqual(other.Certificate.Span);

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}

/// <summary>A validator set and the first height it decides.</summary>
public sealed record ScheduledSet(ulong FromHeight, IReadOnlyList<ValidatorMember> Members);

/// <summary>
/// Every validator set of the chain in order of <see cref="ScheduledSet.FromHeight"/>, the first from height 1 (genesis's).
/// Encoded <c>ValidatorSchedule { repeated Entry entries = 1 }</c>, <c>Entry { from_height = 1; repeated Member members = 2 }</c>,
/// <c>Member { name = 1; certificate = 2 }</c>, then <c>repeated uint64 changed_at = 2</c>: the heights of the blocks whose
/// governance txs changed the schedule, so a proof can carry, for each, that block's certified state proof of the schedule.
/// </summary>
public sealed class ValidatorSchedule
{
    public ValidatorSchedule(IReadOnlyList<ScheduledSet> sets, IReadOnlyList<ulong>? changedAt = null)
    {
        ChangedAt = changedAt ?? [];
        for (var i = 1; i < ChangedAt.Count; i++)
            if (ChangedAt[i] <= ChangedAt[i - 1]) throw new LedgerException(ErrorCode.InvalidFieldValue, "a validator schedule's changes are in order of height");
        if (sets.Count == 0 || sets[0].FromHeight != 1) throw new LedgerException(ErrorCode.InvalidFieldValue, "a validator schedule starts with the set of height 1");
        for (var i = 1; i < sets.Count; i++)
            if (sets[i].FromHeight <= sets[i - 1].FromHeight) throw new LedgerException(ErrorCode.InvalidFieldValue, "a validator schedule is in order of height");
        if (sets.Any(s => s.Members.Count == 0)) throw new LedgerException(ErrorCode.InvalidFieldValue, "a validator set is never empty");
        Sets = sets;
    }

    public IReadOnlyList<ScheduledSet> Sets { get; }

    /// <summary>The heights of the blocks that changed the schedule, ascending (empty for genesis's).</summary>
    public IReadOnlyList<ulong> ChangedAt { get; }

    /// <summary>The set that decides <paramref name="height"/> (as far as the chain knows now).</summary>
    public ScheduledSet At(ulong height)
    {
        var found = Sets[0];
        foreach (var set in Sets)
        {
            if (set.FromHeight > height) break;
            found = set;
        }
        return found;
    }

    /// <summary>
    /// The schedule with <paramref name="change"/> applied from <paramref name="height"/> on: to the set of that height, and
    /// to every set already scheduled after it (changes voted in at different times compose in height order).
    /// </summary>
    /// <param name="decidedAt">The height of the block whose tx passed the change.</param>
    public ValidatorSchedule With(ulong height, ulong decidedAt, Func<IReadOnlyList<ValidatorMember>, IReadOnlyList<ValidatorMember>> change)
    {
        var sets = new List<ScheduledSet>();
        foreach (var set in Sets)
        {
            if (set.FromHeight < height) sets.Add(set);
        }
        var atHeight = At(height);
        sets.Add(new ScheduledSet(height, change(atHeight.Members)));
        foreach (var set in Sets)
        {
            if (set.FromHeight > height) sets.Add(new ScheduledSet(set.FromHeight, change(set.Members)));
        }
        return new ValidatorSchedule(sets, ChangedAt.Count > 0 && ChangedAt[^1] == decidedAt ? ChangedAt : [.. ChangedAt, decidedAt]);
    }

    public byte[] Encode()
    {
        var w = new ProtoWriter(4096);
        foreach (var set in Sets)
        {
            var entry = new ProtoWriter(2048);
            entry.WriteUInt64(1, set.FromHeight);
            foreach (var member in set.Members)
            {
                var m = new ProtoWriter(member.Certificate.Length + 64);
                m.WriteString(1, member.Name);
                m.WriteBytes(2, member.Certificate.Span);
                entry.WriteLengthDelimited(2, m.ToArray());
            }
            w.WriteLengthDelimited(1, entry.ToArray());
        }
        foreach (var height in ChangedAt) w.WriteUInt64(2, height);
        return w.ToArray();
    }

    public static ValidatorSchedule Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "ValidatorSchedule", 1, 2);
        var sets = new List<ScheduledSet>();
        var changedAt = new List<ulong>();
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            if (field == 2)
            {
                changedAt.Add(r.ReadUInt64());
                continue;
            }
            if (field != 1) throw r.UnknownField(field);
            var e = new ProtoReader(r.ReadLengthDelimited(), "ValidatorSchedule.Entry", 2);
            ulong from = 0;
            var members = new List<ValidatorMember>();
            for (var f = e.ReadTag(); f != 0; f = e.ReadTag())
            {
                switch (f)
                {
                    case 1: from = e.ReadUInt64(); break;
                    case 2:
                        var m = new ProtoReader(e.ReadLengthDelimited(), "ValidatorSchedule.Member");
                        string? name = null;
                        byte[]? certificate = null;
                        for (var g = m.ReadTag(); g != 0; g = m.ReadTag())
                        {
                            switch (g)
                            {
                                case 1: name = m.ReadString(ProposeValidatorChangePayload.MaxNameBytes); break;
                                case 2: certificate = m.ReadBytes().ToArray(); break;
                                default: throw m.UnknownField(g);
                            }
                        }
                        members.Add(new ValidatorMember(name ?? throw m.Missing("Member.name"), certificate ?? throw m.Missing("Member.certificate")));
                        break;
                    default: throw e.UnknownField(f);
                }
            }
            sets.Add(new ScheduledSet(from, members));
        }
        return new ValidatorSchedule(sets, changedAt);
    }
}

/// <summary>Where a proposal stands.</summary>
public enum ProposalStatus
{
    Open = 1,

    /// <summary>A quorum approved it: the change is in the <see cref="ValidatorSchedule"/> from its effective height.</summary>
    Passed = 2,

    /// <summary>Enough validators refused it that it can never reach a quorum.</summary>
    Rejected = 3,
}

/// <summary>
/// A proposal on chain: who proposed it and when, the change (its payload field and bytes), who approved and who refused, and
/// how it ended. An open proposal expires — votes no longer count — once its effective height is nearer than the activation
/// delay.
/// </summary>
public sealed record ProposalRecord
{
    /// <summary>The payload field of the proposal (<see cref="ProposeValidatorChangePayload.Field"/>, <see cref="ProposeAuthorityChangePayload.Field"/> or <see cref="ProposeParameterChangePayload.Field"/>).</summary>
    public int Kind { get; init; } = ProposeValidatorChangePayload.Field;

    public required Hash32 Proposer { get; init; }
    public required ulong ProposedAt { get; init; }
    public required ReadOnlyMemory<byte> Payload { get; init; }
    public required IReadOnlyList<Hash32> Approvals { get; init; }
    public required IReadOnlyList<Hash32> Rejections { get; init; }
    public required ProposalStatus Status { get; init; }

    /// <summary>The height it passed or was rejected at; 0 while open.</summary>
    public ulong DecidedAt { get; init; }

    public ProposeValidatorChangePayload Change => ProposeValidatorChangePayload.Decode(Payload.Span);

    public ProposeAuthorityChangePayload AuthorityChange => ProposeAuthorityChangePayload.Decode(Payload.Span);

    public ProposeParameterChangePayload ParameterChange => ProposeParameterChangePayload.Decode(Payload.Span);

    /// <summary>The height the proposed change takes effect at, whatever it changes.</summary>
    public ulong EffectiveHeight => Kind switch
    {
        ProposeAuthorityChangePayload.Field => AuthorityChange.EffectiveHeight,
        ProposeParameterChangePayload.Field => ParameterChange.EffectiveHeight,
        _ => Change.EffectiveHeight,
    };

    public byte[] Encode()
    {
        var w = new ProtoWriter(Payload.Length + 256);
        w.WriteHash(1, Proposer);
        w.WriteUInt64(2, ProposedAt);
        w.WriteBytes(3, Payload.Span);
        foreach (var a in Approvals) w.WriteHash(4, a);
        foreach (var a in Rejections) w.WriteHash(5, a);
        w.WriteUInt32(6, (uint)Status);
        w.WriteUInt64(7, DecidedAt);
        if (Kind != ProposeValidatorChangePayload.Field) w.WriteUInt32(8, (uint)Kind);
        return w.ToArray();
    }

    public static ProposalRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "ProposalRecord", 4, 5);
        Hash32? proposer = null;
        ulong proposedAt = 0, decidedAt = 0;
        byte[]? payload = null;
        var approvals = new List<Hash32>();
        var rejections = new List<Hash32>();
        uint status = 0;
        var kind = (uint)ProposeValidatorChangePayload.Field;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 8: kind = r.ReadUInt32(); break;
                case 1: proposer = r.ReadHash(); break;
                case 2: proposedAt = r.ReadUInt64(); break;
                case 3: payload = r.ReadBytes().ToArray(); break;
                case 4: approvals.Add(r.ReadHash()); break;
                case 5: rejections.Add(r.ReadHash()); break;
                case 6: status = r.ReadUInt32(); break;
                case 7: decidedAt = r.ReadUInt64(); break;
                default: throw r.UnknownField(field);
            }
        }
        if (status is < 1 or > 3) throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"ProposalRecord.status {status}"));
        if (kind is not (ProposeValidatorChangePayload.Field or ProposeAuthorityChangePayload.Field or ProposeParameterChangePayload.Field))
            throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"ProposalRecord.kind {kind}"));
        return new ProposalRecord
        {
            Kind = (int)kind,
            Proposer = proposer ?? throw r.Missing("ProposalRecord.proposer"),
            ProposedAt = proposedAt,
            Payload = payload ?? throw r.Missing("ProposalRecord.payload"),
            Approvals = approvals,
            Rejections = rejections,
            Status = (ProposalStatus)status,
            DecidedAt = decidedAt,
        };
    }
}
