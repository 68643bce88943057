using Ledger.Consensus.Messages;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.Tests.StateMachine;

/// <summary>Builds messages signed by any validator of a key ring, as the peers of an engine under test would send them.</summary>
internal sealed class MessageMaker(FakeKeyRing keys, string chainId)
{
    public SignedPayload Sign(int validator, ConsensusPayload payload)
    {
        var signer = keys.SignerFor(keys.Validators[validator]);
        var bytes = payload.Encode();
        return new SignedPayload(payload, bytes, signer.ValidatorId, signer.Sign(MessageSigning.SigningBytes(bytes)));
    }

    public SignedMessage Proposal(int from, ulong height, uint round, ProposedBlock block, IReadOnlyList<SignedPayload>? roundChanges = null, IReadOnlyList<SignedPayload>? prepares = null) =>
        new(Sign(from, new ConsensusPayload { Type = MessageType.Proposal, ChainId = chainId, Height = height, Round = round, Digest = block.Hash }), block.Bytes, roundChanges, prepares);

    public SignedMessage Prepare(int from, ulong height, uint round, Hash32 digest) =>
        new(Sign(from, new ConsensusPayload { Type = MessageType.Prepare, ChainId = chainId, Height = height, Round = round, Digest = digest }));

    public SignedMessage Commit(int from, ulong height, uint round, Hash32 digest)
    {
        var seal = keys.SignerFor(keys.Validators[from]).Sign(CommitSeal.SigningMessage(chainId, height, round, digest));
        return new(Sign(from, new ConsensusPayload { Type = MessageType.Commit, ChainId = chainId, Height = height, Round = round, Digest = digest, CommitSeal = seal }));
    }

    public SignedMessage RoundChange(int from, ulong height, uint round, PreparedCertificate? prepared = null) =>
        new(Sign(from, new ConsensusPayload
        {
            Type = MessageType.RoundChange, ChainId = chainId, Height = height, Round = round,
            PreparedRound = prepared?.Round ?? 0, PreparedDigest = prepared?.Block.Hash,
        }), prepared?.Block.Bytes, null, prepared?.Prepares);

    /// <summary>A prepared certificate: PREPAREs for the block by the given validators.</summary>
    public PreparedCertificate Prepared(ulong height, uint round, ProposedBlock block, params int[] by) =>
        new(round, block, by.Select(v => Prepare(v, height, round, block.Hash).Signed).ToList());
}
