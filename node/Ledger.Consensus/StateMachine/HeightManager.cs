using Ledger.Consensus.Messages;
using Ledger.Consensus.Validation;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.StateMachine;

/// <summary>
/// QBFT for one height (Besu's BlockHeightManager; Moniz Algorithms 1-3): the current round, the round states, the round
/// changes, this validator's highest prepared certificate, and the decision. Every handler first returns on a stale
/// round. Messages reaching it are authenticated and of its height; its own come back through the engine's queue.
/// </summary>
internal sealed class HeightManager
{
    private readonly ConsensusOptions _options;
    private readonly ConsensusPorts _ports;
    private readonly ConsensusMetrics _metrics;
    private readonly OwnMessages _own;
    private readonly ValidatorView _validators;
    private readonly bool _isValidator;
    private readonly Hash32 _self;
    private readonly Dictionary<uint, RoundState> _rounds = [];
    private readonly RoundChangeManager _roundChanges = new();
    private readonly Dictionary<Hash32, uint> _caughtUp = [];
    private PreparedCertificate? _prepared;
    private readonly Func<uint, TimeSpan> _timeout;
    private bool _roundZeroTimerDeferred;

    public HeightManager(ulong height, ValidatorView validators, ConsensusOptions options, ConsensusPorts ports, ConsensusMetrics metrics, OwnMessages own, PreparedCertificate? prepared, uint round,
        Func<uint, TimeSpan>? timeout = null)
    {
        _timeout = timeout ?? options.RoundTimeout;
        Height = height;
        _validators = validators;
        _options = options;
        _ports = ports;
        _metrics = metrics;
        _own = own;
        _prepared = prepared;
        _self = own.SelfAt(height);
        _isValidator = validators.Contains(_self);
        Round = round;
    }

    public ulong Height { get; }

    public uint Round { get; private set; }

    public bool Decided { get; private set; }

    /// <summary>The round whose COMMIT quorum decided the height (valid once <see cref="Decided"/>).</summary>
    public uint DecidedRound { get; private set; }

    public ValidatorView Validators => _validators;

    /// <summary>Starts (or, after a restart, resumes) the round the WAL says this validator reached, re-sending what it signed there.</summary>
    public void Start()
    {
        EnterRound(Round);
        if (_isValidator)
            foreach (var signed in _own.SignedInRound(Height, Round)) _own.Resend(signed);
        TryPropose();
    }

    public void OnTimeout(uint round)
    {
        if (Decided || round != Round) return;
        _metrics.CountTimeout();
        MoveToRound(round + 1);
    }

    public void OnTransactionsAvailable()
    {
        StartDeferredTimer();
        TryPropose();
    }

    /// <returns>The reason a message was dropped, or Ok.</returns>
    public ValidationResult OnMessage(SignedMessage message, bool own)
    {
        if (Decided) return ValidationResult.Fail(ErrorCode.StaleHeight, $"height {Height} is decided");
        StartDeferredTimer();
        return message.Type switch
        {
            MessageType.Proposal => OnProposal(message, own),
            MessageType.Prepare => OnPrepare(message.Signed, own),
            MessageType.Commit => OnCommit(message.Signed, own),
            _ => OnRoundChange(message, own),
        };
    }

    private ValidationResult OnProposal(SignedMessage proposal, bool own)
    {
        var round = proposal.Round;
        var window = CheckWindow(round, proposal.Signer);
        if (!window.IsValid) return window;
        if (proposal.Signer != _validators.Proposer(Height, round))
            return ValidationResult.Fail(ErrorCode.WrongProposer, $"{proposal.Signer} is not the proposer of ({Height}, {round})");
        var digest = proposal.Payload.Digest!.Value;
        var state = RoundAt(round);
        if (state.Proposal is { } accepted)
            return accepted.Payload.Digest == digest
                ? ValidationResult.Fail(ErrorCode.DuplicateMessage, "proposal already accepted")
                : ValidationResult.Fail(ErrorCode.ConflictingMessage, "another proposal was accepted in this round");
        if (_own.Existing(Height, round, MessageType.Prepare) is { } prepared && prepared.Payload.Digest != digest)
            return ValidationResult.Fail(ErrorCode.ConflictingSignatureRefused, "this validator prepared another block in this round");
        if (_isValidator && _own.WatermarkNamesAnotherBlock(Height, round, digest))
            return ValidationResult.Fail(ErrorCode.ConflictingSignatureRefused, "this validator signed for another block in this round (signing watermark; its WAL is gone)");
        var block = proposal.ProposedBlock!;
        if (!own)
        {
            if (round > 0)
            {
                var justified = ProposalJustificationValidator.Check(proposal, _options.ChainId, _validators, _ports.Keys);
                if (!justified.IsValid) return justified;
            }
            // A justified proposal with PREPAREs re-proposes the block of the highest prepared round (J2), unchanged.
            var reproposal = round > 0 && proposal.Prepares.Count > 0;
            var valid = _ports.ProposalValidator.Validate(Height, round, block, reproposal);
            if (!valid.IsValid) return valid;
        }
        if (round > Round) EnterRound(round); // a quorum of round changes for it exists: the justification shows it
        state.Accept(proposal);
        if (_isValidator) _own.Prepare(Height, round, digest);
        TryCommitStep(state);
        TryDecide(state);
        return ValidationResult.Valid;
    }

    private ValidationResult OnPrepare(SignedPayload prepare, bool own)
    {
        var window = CheckWindow(prepare.Payload.Round, prepare.Signer);
        if (!window.IsValid) return window;
        var state = RoundAt(prepare.Payload.Round);
        var added = state.AddPrepare(prepare);
        if (added != ErrorCode.Ok) return own ? ValidationResult.Valid : ValidationResult.Fail(added, "prepare already counted");
        if (state.Round == Round) TryCommitStep(state);
        return ValidationResult.Valid;
    }

    /// <summary>A COMMIT quorum decides in any round of the height, so old rounds are not stale here.</summary>
    private ValidationResult OnCommit(SignedPayload commit, bool own)
    {
        var p = commit.Payload;
        if (p.Round > Round + (uint)_options.MaxFutureRounds)
            return ValidationResult.Fail(ErrorCode.FutureTooFar, $"round {p.Round}, current {Round}");
        if (!own && !_ports.Keys.Verify(commit.Signer, CommitSeal.SigningMessage(_options.ChainId, p.Height, p.Round, p.Digest!.Value), p.CommitSeal))
            return ValidationResult.Fail(ErrorCode.InvalidSeal, $"commit seal by {commit.Signer} does not verify");
        var state = RoundAt(p.Round);
        var added = state.AddCommit(commit);
        if (added != ErrorCode.Ok) return own ? ValidationResult.Valid : ValidationResult.Fail(added, "commit already counted");
        TryDecide(state);
        return ValidationResult.Valid;
    }

    private ValidationResult OnRoundChange(SignedMessage roundChange, bool own)
    {
        if (roundChange.Round < Round)
        {
            HelpCatchUp(roundChange.Signer);
            return ValidationResult.Fail(ErrorCode.StaleRound, $"round change to {roundChange.Round}, current {Round}");
        }
        if (!own)
        {
            var valid = RoundChangeValidator.Check(roundChange, _options.ChainId, _validators, _ports.Keys);
            if (!valid.IsValid) return valid;
        }
        var added = _roundChanges.Add(roundChange);
        if (added != ErrorCode.Ok) return own ? ValidationResult.Valid : ValidationResult.Fail(added, "round change already counted");
        if (_roundChanges.RoundToSkipTo(Round, _validators.FaultTolerance) is { } skip) MoveToRound(skip);
        TryPropose();
        return ValidationResult.Valid;
    }

    /// <summary>Moniz Algorithm 2: a PREPARE quorum for the accepted proposal makes it prepared; log that, then COMMIT.</summary>
    private void TryCommitStep(RoundState state)
    {
        if (state.CommitSent || state.Block is not { } block) return;
        var prepares = state.PreparesFor(block.Hash);
        if (prepares.Count < _validators.Quorum) return;
        if (!_isValidator)
        {
            state.CommitSent = true;
            return;
        }
        if (_prepared is null || state.Round > _prepared.Round || (state.Round == _prepared.Round && _prepared.Block.Hash != block.Hash))
        {
            _prepared = new PreparedCertificate(state.Round, block, prepares);
            _own.RecordPrepared(Height, _prepared);
        }
        // A COMMIT held back (signing not yet released) is tried again on the next PREPARE or on release; a refused one is not.
        state.CommitSent = _own.Commit(Height, state.Round, block.Hash) is not null || !_own.HeldAt(Height);
    }

    /// <summary>
    /// Signing was held and is released: sign what this validator would have signed in the current round meanwhile — its
    /// ROUND-CHANGE for a round it moved to, its PREPARE for the accepted proposal, its COMMIT, its proposal.
    /// </summary>
    public void Resume()
    {
        if (Decided || !_isValidator) return;
        var state = RoundAt(Round);
        if (Round > 0 && state.Proposal is null && _own.Existing(Height, Round, MessageType.RoundChange) is null) _own.RoundChange(Height, Round, _prepared);
        if (state.Proposal is { } accepted && _own.Existing(Height, Round, MessageType.Prepare) is null) _own.Prepare(Height, Round, accepted.Payload.Digest!.Value);
        TryCommitStep(state);
        TryDecide(state);
        TryPropose();
    }

    private void TryDecide(RoundState state)
    {
        if (Decided || state.Block is not { } block) return;
        var commits = state.CommitsFor(block.Hash);
        if (commits.Count < _validators.Quorum) return;
        var certificate = new CommitCertificate
        {
            Height = Height,
            Round = state.Round,
            BlockHash = block.Hash,
            Seals = commits.Select(c => new CommitSeal(c.Signer, c.Payload.CommitSeal!)).ToList(),
        };
        _ports.Committer.Commit(Height, state.Round, block, certificate);
        _ports.Wal.Append(Wal.WalRecord.Completed(Height));
        _metrics.CountCommitted();
        DecidedRound = state.Round;
        Decided = true;
    }

    /// <summary>
    /// Moniz Algorithm 3, the leader's rule: with a quorum of ROUND-CHANGEs for the current round, propose the block of
    /// the highest prepared round among them (with its PREPARE quorum), or a new block if none prepared. Round 0 needs none.
    /// </summary>
    private void TryPropose()
    {
        if (Decided || !_isValidator || _validators.Proposer(Height, Round) != _self || RoundAt(Round).Proposal is not null) return;
        if (_own.Existing(Height, Round, MessageType.Proposal) is not null) return; // Start re-sent it after a restart
        if (Round == 0)
        {
            if (_ports.Proposer.CreateProposal(Height, 0) is { } first) _own.Proposal(Height, 0, first, [], []);
            return;
        }
        var roundChanges = _roundChanges.For(Round);
        if (roundChanges.Count < _validators.Quorum) return;
        var highest = roundChanges.Where(rc => rc.Payload.IsPrepared).MaxBy(rc => rc.Payload.PreparedRound);
        var block = highest?.ProposedBlock ?? _ports.Proposer.CreateProposal(Height, Round);
        if (block is null) return;
        _own.Proposal(Height, Round, block, roundChanges.Select(rc => rc.Signed).ToList(), highest?.Prepares ?? []);
    }

    /// <summary>Leaves the round by a timeout or the f+1 rule, announcing it with a ROUND-CHANGE.</summary>
    private void MoveToRound(uint round)
    {
        EnterRound(round);
        if (_isValidator) _own.RoundChange(Height, round, _prepared);
    }

    private void EnterRound(uint round)
    {
        if (round > 0 && round != Round) _metrics.CountRoundChange();
        Round = round;
        _roundChanges.ForgetBelow(round);
        _roundZeroTimerDeferred = round == 0 && _options.StartRoundZeroTimerOnActivity;
        if (!_roundZeroTimerDeferred) _ports.Timeouts.Schedule(Height, round, _timeout(round));
    }

    private void StartDeferredTimer()
    {
        if (!_roundZeroTimerDeferred) return;
        _roundZeroTimerDeferred = false;
        _ports.Timeouts.Schedule(Height, Round, _timeout(Round));
    }

    private ValidationResult CheckWindow(uint round, Hash32 signer)
    {
        if (round < Round)
        {
            HelpCatchUp(signer);
            return ValidationResult.Fail(ErrorCode.StaleRound, $"round {round}, current {Round}");
        }
        return round > Round + (uint)_options.MaxFutureRounds
            ? ValidationResult.Fail(ErrorCode.FutureTooFar, $"round {round}, current {Round}")
            : ValidationResult.Valid;
    }

    /// <summary>
    /// A validator still voting in an older round may have missed the ROUND-CHANGEs that moved the rest on: send it this
    /// validator's current one (once per round), so the f+1 rule can pull it up.
    /// </summary>
    private void HelpCatchUp(Hash32 validator)
    {
        if (Round == 0 || validator == _self || _caughtUp.GetValueOrDefault(validator, uint.MaxValue) == Round) return;
        if (_own.Existing(Height, Round, MessageType.RoundChange) is not { } mine) return;
        _caughtUp[validator] = Round;
        _own.SendTo(validator, mine);
    }

    private RoundState RoundAt(uint round)
    {
        if (!_rounds.TryGetValue(round, out var state)) _rounds[round] = state = new RoundState(round);
        return state;
    }
}
