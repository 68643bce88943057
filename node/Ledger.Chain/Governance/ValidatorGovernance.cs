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
/// Validator-set governance, executed like any tx and depending on the chain's state alone, so every node decides alike.
/// A validator of the current set proposes to add, remove or re-certify (renewal, new key) a validator from a stated height
/// (<see cref="ProposeValidatorChangePayload"/>; the proposal counts as its approval) and the others vote
/// (<see cref="GovernanceVotePayload"/>). It passes when ⌈2n/3⌉ validators of the set deciding the vote's height approved it,
/// no later than <see cref="DelayBlocks"/> before its effective height; then the change enters the
/// <see cref="ValidatorSchedule"/> from that height (and every set scheduled after it). It is rejected once so many refused
/// that a quorum is out of reach, and expires when its effective height comes too near. Votes are counted per validator
/// certificate: each bureau runs one validator.
/// </summary>
public sealed class ValidatorGovernance(ValidatorSets sets, CertificateChainValidator trust, int delayBlocks, IHasher hasher)
{
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
            return body.PayloadField == ProposeValidatorChangePayload.Field
                ? Propose(voter, ProposeValidatorChangePayload.Decode(body.Payload.Span), body.Payload, txId, height, blockTime, schedule, current, state)
                : Vote(voter, GovernanceVotePayload.Decode(body.Payload.Span), height, schedule, current, state);
        }
        catch (LedgerException e)
        {
            return ExecutionResult.Reject(e.Code, e.Message);
        }
    }

    private ExecutionResult Propose(Hash32 proposer, ProposeValidatorChangePayload change, ReadOnlyMemory<byte> payload, Hash32 txId, ulong height, long blockTime,
        ValidatorSchedule schedule, HashSet<Hash32> current, IStateStore state)
    {
        if (change.EffectiveHeight < height + (ulong)DelayBlocks)
            return ExecutionResult.Reject(ErrorCode.EffectiveHeightTooSoon, string.Create(CultureInfo.InvariantCulture,
                $"effective height {change.EffectiveHeight}: a change proposed at height {height} takes effect at {height + (ulong)DelayBlocks} at the earliest (the activation delay is {DelayBlocks} blocks)"));
        if (change.Change is ValidatorChange.Add or ValidatorChange.Replace)
        {
            var certificate = LedgerCertificate.FromDer(change.Certificate.ToArray());
            if (certificate.Role != Role.Validator)
                return ExecutionResult.Reject(ErrorCode.InvalidProposal, $"the certificate of {change.Name} has the role {certificate.Role}, not Validator");
            var chained = trust.Validate(certificate, DateTimeOffset.FromUnixTimeMilliseconds(blockTime), checkRevocation: false);
            if (!chained.IsValid) return ExecutionResult.Reject(ErrorCode.InvalidProposal, $"the certificate of {change.Name}: {chained.Reason}");
        }
        if (Apply(change, schedule.At(change.EffectiveHeight).Members) is { } refusal)
            return ExecutionResult.Reject(ErrorCode.InvalidProposal, refusal);

        var record = new ProposalRecord
        {
            Proposer = proposer,
            ProposedAt = height,
            Payload = payload,
            Approvals = [proposer],
            Rejections = [],
            Status = ProposalStatus.Open,
        };
        return Decide(txId, record, height, schedule, current, state);
    }

    private ExecutionResult Vote(Hash32 voter, GovernanceVotePayload vote, ulong height, ValidatorSchedule schedule, HashSet<Hash32> current, IStateStore state)
    {
        if (state.Get(GovernanceKeys.Proposal(vote.Proposal)) is not { } bytes)
            return ExecutionResult.Reject(ErrorCode.ProposalNotFound, $"no proposal {vote.Proposal} is on chain");
        var record = ProposalRecord.Decode(bytes);
        if (record.Status != ProposalStatus.Open)
            return ExecutionResult.Reject(ErrorCode.ProposalClosed, string.Create(CultureInfo.InvariantCulture,
                $"proposal {vote.Proposal} was {record.Status.ToString().ToLowerInvariant()} at height {record.DecidedAt}"));
        var effective = record.Change.EffectiveHeight;
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
            var change = record.Change;
            if (Apply(change, schedule.At(change.EffectiveHeight).Members) is { } refusal)
            {
                // Another change passed meanwhile (the same validator added, the last one removed): this one can no longer apply.
                record = record with { Status = ProposalStatus.Rejected, DecidedAt = height };
                message = $"the proposal no longer applies and is closed: {refusal}";
            }
            else
            {
                var next = schedule.With(change.EffectiveHeight, height, members => Apply(change, members, out var changed) is null ? changed : members);
                state.Put(GovernanceKeys.Schedule, next.Encode());
                record = record with { Status = ProposalStatus.Passed, DecidedAt = height };
                message = string.Create(CultureInfo.InvariantCulture,
                    $"passed with {approvals} of {current.Count} validators: the set changes at height {change.EffectiveHeight}");
            }
        }
        else if (rejections > current.Count - quorum)
        {
            record = record with { Status = ProposalStatus.Rejected, DecidedAt = height };
            message = string.Create(CultureInfo.InvariantCulture, $"rejected: {rejections} of {current.Count} validators refused, a quorum of {quorum} is out of reach");
        }
        state.Put(GovernanceKeys.Proposal(proposalId), record.Encode());
        return new ExecutionResult(ErrorCode.Ok, message, []);
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
            changed = [.. members, new ValidatorMember(change.Name!, change.Certificate.ToArray())];
            return null;
        }
        if (change.Change == ValidatorChange.Replace)
        {
            var id = hasher.Hash(change.Certificate.Span);
            var index = members.ToList().FindIndex(m => m.Name == change.Name);
            if (index < 0) return $"no validator named {change.Name} is in the set at height {change.EffectiveHeight.ToString(CultureInfo.InvariantCulture)}";
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

    private HashSet<Hash32> Ids(IReadOnlyList<ValidatorMember> members) => [.. members.Select(m => hasher.Hash(m.Certificate.Span))];
}
