using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Consensus.StateMachine;

/// <summary>One round of one height: the accepted proposal and the PREPAREs and COMMITs seen, one per validator.</summary>
internal sealed class RoundState
{
    private readonly Dictionary<Hash32, SignedPayload> _prepares = [];
    private readonly Dictionary<Hash32, SignedPayload> _commits = [];

    public RoundState(uint round) => Round = round;

    public uint Round { get; }

    public SignedMessage? Proposal { get; private set; }

    public ProposedBlock? Block => Proposal?.ProposedBlock;

    /// <summary>This validator has prepared in this round and sent its COMMIT.</summary>
    public bool CommitSent { get; set; }

    public void Accept(SignedMessage proposal) => Proposal = proposal;

    public ErrorCode AddPrepare(SignedPayload prepare) => Add(_prepares, prepare);

    public ErrorCode AddCommit(SignedPayload commit) => Add(_commits, commit);

    public IReadOnlyList<SignedPayload> PreparesFor(Hash32 digest) => For(_prepares, digest);

    public IReadOnlyList<SignedPayload> CommitsFor(Hash32 digest) => For(_commits, digest);

    private static ErrorCode Add(Dictionary<Hash32, SignedPayload> votes, SignedPayload vote)
    {
        if (votes.TryGetValue(vote.Signer, out var first))
            return first.Payload.Digest == vote.Payload.Digest ? ErrorCode.DuplicateMessage : ErrorCode.ConflictingMessage;
        votes.Add(vote.Signer, vote);
        return ErrorCode.Ok;
    }

    private static List<SignedPayload> For(Dictionary<Hash32, SignedPayload> votes, Hash32 digest) =>
        votes.Values.Where(v => v.Payload.Digest == digest).OrderBy(v => v.Signer).ToList();
}
