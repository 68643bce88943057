using System.Globalization;
using Ledger.Core;
using Ledger.Core.Crypto;
using Ledger.Core.Execution;
using Ledger.Core.Governance;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;
using Ledger.Crypto.Certificates;

namespace Ledger.Chain.Governance;

/// <summary>
/// Governance of the validator set and the city CAs, executed like any tx and depending on the chain's state alone, so every
/// node decides alike.
/// A validator of the current set proposes to add, remove or re-certify (renewal, new key) a validator from a stated height
/// (<see cref="ProposeValidatorChangePayload"/>; the proposal counts as its approval) and the others vote
/// (<see cref="GovernanceVotePayload"/>). It passes when ⌈2n/3⌉ validators of the set deciding the vote's height approved it,
/// no later than <see cref="DelayBlocks"/> before its effective height; then the change enters the
/// <see cref="ValidatorSchedule"/> from that height (and every set scheduled after it). It is rejected once so many refused
/// that a quorum is out of reach, and expires when its effective height comes too near. Votes are counted per validator
/// certificate: each bureau runs one validator. A CA change (<see cref="ProposeAuthorityChangePayload"/>: add, renew or
/// retire a city CA) is proposed, voted and decided the same way and enters the <see cref="AuthoritySchedule"/>.
/// </summary>
/// <param name="trust">Chains certificates to the genesis root; it must trust every CA the chain names (<see cref="AuthoritySets.Extend"/>).</param>
public sealed class ConsortiumGovernance(ValidatorSets sets, AuthoritySets authorities, ChainParameters parameters, CertificateChainValidator trust, int delayBlocks, IHasher hasher)
{
    /// <summary>The chain's city CAs by height.</summary>
    public AuthoritySets Authorities { get; } = authorities;

    /// <summary>The chain's parameters by height, the protocol version among them.</summary>
    public ChainParameters Parameters { get; } = parameters;

    public int DelayBlocks { get; } = delayBlocks >= 2 ? delayBlocks : throw new ArgumentOutOfRangeException(nameof(delayBlocks), "at least 2");

    /// <summary>Admission's check: the payload decodes and is well formed (whether it applies is decided in its block).</summary>
    public static ValidationResult ValidatePayload(TxBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            if (body.PayloadField == ProposeValidatorChangePayload.Field)
            {
                var payload = ProposeValidatorChangePayload.Decode(body.Payload.Span);
                if (payload.Change == ValidatorChange.Add) LedgerCertificate.FromDer(payload.Certificate.ToArray());
            }
            else if (body.PayloadField == ProposeParameterChangePayload.Field)
            {
                ProposeParameterChangePayload.Decode(body.Payload.Span);
            }
            else if (body.PayloadField == ProposeAuthorityChangePayload.Field)
            {
                var payload = ProposeAuthorityChangePayload.Decode(body.Payload.Span);
                if (!payload.Certificate.IsEmpty) LedgerCertificate.FromDer(payload.Certificate.ToArray());
            }
            else
            {
                GovernanceVotePayload.Decode(body.Payload.Span);
            }
            return ValidationResult.Valid;
        }
        catch (LedgerException e)
        {
            return e.ToResult();
        }
    }

    public ExecutionResult Execute(SignerIdentity submitter, TxBody body, Hash32 txId, ulong height, long blockTime, IStateStore state)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(state);
        if (sets.Genesis.Count == 1)
            return ExecutionResult.Reject(ErrorCode.GovernanceUnavailable, "a one-validator chain has no governance: start a consortium with several validators");
        var schedule = sets.ScheduleIn(state);
        var current = Ids(schedule.At(height).Members);
        if (submitter.Role != Role.Validator || submitter.CertificateId is not { } voter || !current.Contains(voter))
            return ExecutionResult.Reject(ErrorCode.GovernanceRoleNotAllowed,
                $"only a validator of the set deciding height {height.ToString(CultureInfo.InvariantCulture)} may propose or vote, with its validator certificate");
        try
        {
            return body.PayloadField switch
            {
                ProposeValidatorChangePayload.Field =>
                    Propose(voter, ProposeValidatorChangePayload.Decode(body.Payload.Span), body.Payload, txId, height, blockTime, schedule, current, state),
                ProposeParameterChangePayload.Field =>
                    ProposeParameter(voter, ProposeParameterChangePayload.Decode(body.Payload.Span, Parameters.ProtocolIn(state, height)), body.Payload, txId, height, schedule, current, state),
                ProposeAuthorityChangePayload.Field =>
                    ProposeAuthority(voter, ProposeAuthorityChangePayload.Decode(body.Payload.Span), body.Payload, txId, height, blockTime, schedule, current, state),
                _ => Vote(voter, GovernanceVotePayload.Decode(body.Payload.Span), height, schedule, current, state),
            };
        }
        catch (LedgerException e)
        {
            return ExecutionResult.Reject(e.Code, e.Message);
        }
    }

    private ExecutionResult Propose(Hash32 proposer, ProposeValidatorChangePayload change, ReadOnlyMemory<byte> payload, Hash32 txId, ulong height, long blockTime,
        ValidatorSchedule schedule, HashSet<Hash32> current, IStateStore state)
    {
        if (TooSoon(change.EffectiveHeight, height) is { } tooSoon) return tooSoon;
        if (change.Change is ValidatorChange.Add or ValidatorChange.Replace)
        {
            var certificate = LedgerCertificate.FromDer(change.Certificate.ToArray());
            if (certificate.Role != Role.Validator)
                return ExecutionResult.Reject(ErrorCode.InvalidProposal, $"the certificate of {change.Name} has the role {certificate.Role}, not Validator");
            var chained = trust.Validate(certificate, DateTimeOffset.FromUnixTimeMilliseconds(blockTime), checkRevocation: false);
            if (!chained.IsValid) return ExecutionResult.Reject(ErrorCode.InvalidProposal, $"the certificate of {change.Name}: {chained.Reason}");
            var idle = IssuersOf(certificate).Where(ca => !Authorities.CountsAt(state, ca, change.EffectiveHeight)).ToArray();
            if (idle.Length > 0)
                return ExecutionResult.Reject(ErrorCode.InvalidProposal, string.Create(CultureInfo.InvariantCulture,
                    $"the certificate of {change.Name} was issued by CA {idle[0]}, which does not count at height {change.EffectiveHeight}"));
        }
        if (Apply(change, schedule.At(change.EffectiveHeight).Members) is { } refusal)
            return ExecutionResult.Reject(ErrorCode.InvalidProposal, refusal);

        return Decide(txId, Opened(ProposeValidatorChangePayload.Field, proposer, height, payload), height, schedule, current, state);
    }

    private ExecutionResult ProposeParameter(Hash32 proposer, ProposeParameterChangePayload change, ReadOnlyMemory<byte> payload, Hash32 txId, ulong height,
        ValidatorSchedule schedule, HashSet<Hash32> current, IStateStore state)
    {
        if (TooSoon(change.EffectiveHeight, height) is { } tooSoon) return tooSoon;
        if (ApplyParameter(change, Parameters.ScheduleIn(state), out _) is { } refusal)
            return ExecutionResult.Reject(ErrorCode.InvalidProposal, refusal);
        return Decide(txId, Opened(ProposeParameterChangePayload.Field, proposer, height, payload), height, schedule, current, state);
    }

    /// <summary>
    /// The parameter schedule with the change made, or why it cannot be: a protocol version only ever moves to the next one
    /// (the version its height would run, plus one), so versions activate in order and never go back.
    /// </summary>
    private string? ApplyParameter(ProposeParameterChangePayload change, ParameterSchedule parameters, out ParameterSchedule? changed)
    {
        changed = null;
        if (change.Parameter == ChainParameter.ProtocolVersion)
        {
            var running = parameters.ValueAt(ChainParameter.ProtocolVersion, change.EffectiveHeight, Parameters.GenesisValue(ChainParameter.ProtocolVersion));
            if (change.Value != running + 1)
                return string.Create(CultureInfo.InvariantCulture,
                    $"height {change.EffectiveHeight} would run protocol version {running}: the next version is {running + 1}, not {change.Value}");
            if (parameters.Entries.Any(e => e.Parameter == ChainParameter.ProtocolVersion && e.FromHeight > change.EffectiveHeight))
                return string.Create(CultureInfo.InvariantCulture, $"a later protocol version is already scheduled after height {change.EffectiveHeight}");
        }
        changed = parameters.With(change.Parameter, change.Value, change.EffectiveHeight);
        return null;
    }

    private ExecutionResult ProposeAuthority(Hash32 proposer, ProposeAuthorityChangePayload change, ReadOnlyMemory<byte> payload, Hash32 txId, ulong height, long blockTime,
        ValidatorSchedule schedule, HashSet<Hash32> current, IStateStore state)
    {
        if (TooSoon(change.EffectiveHeight, height) is { } tooSoon) return tooSoon;
        if (!change.Certificate.IsEmpty)
        {
            var certificate = LedgerCertificate.FromDer(change.Certificate.ToArray());
            if (certificate.Role != Role.IntermediateCa || !certificate.IsCa)
                return ExecutionResult.Reject(ErrorCode.InvalidProposal, $"{certificate.Subject} is not a city CA certificate (role {certificate.Role})");
            // Certified by the genesis root itself, and valid (with the root) at the block's time.
            var chained = Authorities.RootOnly.Validate(certificate, DateTimeOffset.FromUnixTimeMilliseconds(blockTime), checkRevocation: false);
            if (!chained.IsValid) return ExecutionResult.Reject(ErrorCode.InvalidProposal, $"{certificate.Subject}: {chained.Reason}");
        }
        if (ApplyAuthority(change, Authorities.ScheduleIn(state), schedule, out _) is { } refusal)
            return ExecutionResult.Reject(ErrorCode.InvalidProposal, refusal);
        return Decide(txId, Opened(ProposeAuthorityChangePayload.Field, proposer, height, payload), height, schedule, current, state);
    }

    /// <summary>Why a change stated for <paramref name="effective"/> comes too soon at <paramref name="height"/>; null if it does not.</summary>
    private ExecutionResult? TooSoon(ulong effective, ulong height) =>
        effective < height + (ulong)DelayBlocks
            ? ExecutionResult.Reject(ErrorCode.EffectiveHeightTooSoon, string.Create(CultureInfo.InvariantCulture,
                $"effective height {effective}: a change proposed at height {height} takes effect at {height + (ulong)DelayBlocks} at the earliest (the activation delay is {DelayBlocks} blocks)"))
            : null;

    /// <summary>A new proposal: its proposer's approval is the first.</summary>
    private static ProposalRecord Opened(int kind, Hash32 proposer, ulong height, ReadOnlyMemory<byte> payload) => new()
    {
        Kind = kind,
        Proposer = proposer,
        ProposedAt = height,
        Payload = payload,
        Approvals = [proposer],
        Rejections = [],
        Status = ProposalStatus.Open,
    };

    private ExecutionResult Vote(Hash32 voter, GovernanceVotePayload vote, ulong height, ValidatorSchedule schedule, HashSet<Hash32> current, IStateStore state)
    {
        if (state.Get(GovernanceKeys.Proposal(vote.Proposal)) is not { } bytes)
            return ExecutionResult.Reject(ErrorCode.ProposalNotFound, $"no proposal {vote.Proposal} is on chain");
        var record = ProposalRecord.Decode(bytes);
        if (record.Status != ProposalStatus.Open)
            return ExecutionResult.Reject(ErrorCode.ProposalClosed, string.Create(CultureInfo.InvariantCulture,
                $"proposal {vote.Proposal} was {record.Status.ToString().ToLowerInvariant()} at height {record.DecidedAt}"));
        var effective = record.EffectiveHeight;
        if (height + (ulong)DelayBlocks > effective)
            return ExecutionResult.Reject(ErrorCode.ProposalClosed, string.Create(CultureInfo.InvariantCulture,
                $"proposal {vote.Proposal} expired: a vote at height {height} is too late for effective height {effective} (activation delay {DelayBlocks})"));
        if (record.Approvals.Contains(voter) || record.Rejections.Contains(voter))
            return ExecutionResult.Reject(ErrorCode.AlreadyVoted, $"this validator has already voted on proposal {vote.Proposal}");
        record = vote.Approve
            ? record with { Approvals = [.. record.Approvals, voter] }
            : record with { Rejections = [.. record.Rejections, voter] };
        return Decide(vote.Proposal, record, height, schedule, current, state);
    }

    /// <summary>Counts the votes of the current set and stores the proposal: passed (the schedule changes), rejected, or still open.</summary>
    private ExecutionResult Decide(Hash32 proposalId, ProposalRecord record, ulong height, ValidatorSchedule schedule, HashSet<Hash32> current, IStateStore state)
    {
        var quorum = Core.Blocks.ValidatorSet.Quorum(current.Count);
        var approvals = record.Approvals.Count(current.Contains);
        var rejections = record.Rejections.Count(current.Contains);
        var message = "";
        if (approvals >= quorum)
        {
            // Another change may have passed meanwhile (the same validator added, the last one removed): then this one no longer applies.
            var refusal = Enact(record, height, schedule, state, out var effect);
            record = record with { Status = refusal is null ? ProposalStatus.Passed : ProposalStatus.Rejected, DecidedAt = height };
            message = refusal is null
                ? string.Create(CultureInfo.InvariantCulture, $"passed with {approvals} of {current.Count} validators: {effect}")
                : $"the proposal no longer applies and is closed: {refusal}";
        }
        else if (rejections > current.Count - quorum)
        {
            record = record with { Status = ProposalStatus.Rejected, DecidedAt = height };
            message = string.Create(CultureInfo.InvariantCulture, $"rejected: {rejections} of {current.Count} validators refused, a quorum of {quorum} is out of reach");
        }
        state.Put(GovernanceKeys.Proposal(proposalId), record.Encode());
        return new ExecutionResult(ErrorCode.Ok, message, []);
    }

    /// <summary>Writes a passed change into its schedule in <paramref name="state"/>, or says why it can no longer apply; <paramref name="effect"/> says what changes when.</summary>
    private string? Enact(ProposalRecord record, ulong height, ValidatorSchedule schedule, IStateStore state, out string effect)
    {
        switch (record.Kind)
        {
            case ProposeParameterChangePayload.Field:
            {
                var change = record.ParameterChange;
                effect = string.Create(CultureInfo.InvariantCulture, $"{change.Parameter} is {change.Value} from height {change.EffectiveHeight}");
                if (ApplyParameter(change, Parameters.ScheduleIn(state), out var next) is { } refusal) return refusal;
                state.Put(GovernanceKeys.Parameters, next!.Encode());
                return null;
            }
            case ProposeAuthorityChangePayload.Field:
            {
                var change = record.AuthorityChange;
                effect = string.Create(CultureInfo.InvariantCulture, $"the CAs change at height {change.EffectiveHeight}");
                if (ApplyAuthority(change, Authorities.ScheduleIn(state), schedule, out var next) is { } refusal) return refusal;
                state.Put(GovernanceKeys.Authorities, next!.Encode());
                return null;
            }
            default:
            {
                var change = record.Change;
                effect = string.Create(CultureInfo.InvariantCulture, $"the set changes at height {change.EffectiveHeight}");
                if (Apply(change, schedule.At(change.EffectiveHeight).Members) is { } refusal) return refusal;
                var next = schedule.With(change.EffectiveHeight, height, members => Apply(change, members, out var changed) is null ? changed : members);
                state.Put(GovernanceKeys.Schedule, next.Encode());
                return null;
            }
        }
    }

    private string? Apply(ProposeValidatorChangePayload change, IReadOnlyList<ValidatorMember> members) => Apply(change, members, out _);

    /// <summary>The set with the change made, or why it cannot be.</summary>
    private string? Apply(ProposeValidatorChangePayload change, IReadOnlyList<ValidatorMember> members, out IReadOnlyList<ValidatorMember> changed)
    {
        changed = members;
        if (change.Change == ValidatorChange.Add)
        {
            var id = hasher.Hash(change.Certificate.Span);
            if (members.Any(m => m.Name == change.Name)) return $"a validator named {change.Name} is already in the set";
            if (members.Any(m => hasher.Hash(m.Certificate.Span) == id)) return $"the certificate {id} is already a validator's";
            // Votes count per validator, so one validator per bureau keeps them per bureau.
            var division = LedgerCertificate.FromDer(change.Certificate.ToArray()).Division;
            if (members.FirstOrDefault(m => LedgerCertificate.FromDer(m.Certificate.ToArray()).Division == division) is { } sameBureau)
                return $"validator {sameBureau.Name} already speaks for division {division}: one validator per bureau (a new key or certificate for it is a Replace)";
            changed = [.. members, new ValidatorMember(change.Name!, change.Certificate.ToArray())];
            return null;
        }
        if (change.Change == ValidatorChange.Replace)
        {
            var id = hasher.Hash(change.Certificate.Span);
            var index = members.ToList().FindIndex(m => m.Name == change.Name);
            if (index < 0) return $"no validator named {change.Name} is in the set at height {change.EffectiveHeight.ToString(CultureInfo.InvariantCulture)}";
            var before = LedgerCertificate.FromDer(members[index].Certificate.ToArray()).Division;
            var after = LedgerCertificate.FromDer(change.Certificate.ToArray()).Division;
            if (before != after) return $"{change.Name} speaks for division {before}; a certificate of division {after} is another bureau's (add it, and remove this one)";
            if (members.Any(m => hasher.Hash(m.Certificate.Span) == id)) return $"the certificate {id} is already a validator's";
            var replaced = members.ToArray();
            replaced[index] = new ValidatorMember(change.Name!, change.Certificate.ToArray());
            changed = replaced;
            return null;
        }
        var leaving = change.Validator!.Value;
        var kept = members.Where(m => hasher.Hash(m.Certificate.Span) != leaving).ToArray();
        if (kept.Length == members.Count) return $"{leaving} is not a validator of the set at height {change.EffectiveHeight.ToString(CultureInfo.InvariantCulture)}";
        if (kept.Length == 0) return "the last validator cannot be removed";
        changed = kept;
        return null;
    }

    /// <summary>
    /// The CA schedule with the change made, or why it cannot be: an added CA serves a division no counting CA serves, a
    /// successor takes a new key for its predecessor's division, a retired CA issued no validator of the set at that height,
    /// and no CA is named twice.
    /// </summary>
    private string? ApplyAuthority(ProposeAuthorityChangePayload change, AuthoritySchedule authorities, ValidatorSchedule validators, out AuthoritySchedule? changed)
    {
        changed = null;
        var effective = change.EffectiveHeight;
        var entries = authorities.Entries.Select(e => (Certificate: LedgerCertificate.FromDer(e.Certificate.ToArray()), Entry: e)).ToList();
        var counting = entries.Where(e => e.Entry.CountsAt(effective)).ToList();
        string Height() => effective.ToString(CultureInfo.InvariantCulture);
        if (change.Change == AuthorityChange.Retire)
        {
            var index = entries.FindIndex(e => e.Certificate.Id == change.Authority);
            if (index < 0) return $"{change.Authority} is not a CA of this chain";
            var (certificate, entry) = entries[index];
            if (!entry.CountsAt(effective)) return $"{certificate.Subject} does not count at height {Height()} (not yet added, or already retired)";
            // Every set from the retirement on (one scheduled later, too, may hold a validator the CA certified).
            var sets = validators.Sets.Where(set => set.FromHeight > effective).Prepend(validators.At(effective));
            foreach (var member in sets.SelectMany(set => set.Members))
            {
                var validator = LedgerCertificate.FromDer(member.Certificate.ToArray());
                if (IssuersOf(validator).Contains(certificate.Id))
                    return $"{certificate.Subject} issued the certificate of validator {member.Name}, which is in the set at or after height {Height()}: replace that validator first";
            }
            var retired = entries.Select(e => e.Entry).ToArray();
            retired[index] = entry with { UntilHeight = effective };
            changed = new AuthoritySchedule(retired);
            return null;
        }

        var added = LedgerCertificate.FromDer(change.Certificate.ToArray());
        if (entries.Any(e => e.Certificate.Id == added.Id)) return $"{added.Subject} ({added.Id}) is already a CA of this chain";
        if (entries.Any(e => e.Certificate.PublicKey == added.PublicKey)) return $"the key of {added.Subject} is already a CA's: a new CA, or a successor, takes a new key";
        if (change.Change == AuthorityChange.Add)
        {
            if (counting.FirstOrDefault(e => e.Certificate.Division == added.Division).Certificate is { } serving)
                return $"{serving.Subject} already serves division {added.Division} at height {Height()}: a new CA for it is a Renew";
        }
        else
        {
            var predecessor = counting.FirstOrDefault(e => e.Certificate.Id == change.Authority).Certificate;
            if (predecessor is null) return $"{change.Authority} is not a CA of this chain that counts at height {Height()}";
            if (predecessor.Division != added.Division)
                return $"{added.Subject} serves division {added.Division}, its predecessor {predecessor.Subject} serves {predecessor.Division}";
        }
        changed = new AuthoritySchedule([.. entries.Select(e => e.Entry), new ScheduledAuthority(added.Der, effective)]);
        return null;
    }

    /// <summary>The CAs between a certificate and the root (none if it does not chain: the caller has refused it already).</summary>
    private Hash32[] IssuersOf(LedgerCertificate certificate) =>
        trust.TryGetIssuers(certificate, out var issuers).IsValid ? issuers : [];

    private HashSet<Hash32> Ids(IReadOnlyList<ValidatorMember> members) => [.. members.Select(m => hasher.Hash(m.Certificate.Span))];
}
