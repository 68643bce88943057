using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Validation;

/// <summary>
/// Moniz's JustifyPrePrepare for round r &gt; 0: a quorum of distinct validators' ROUND-CHANGEs to (h, r), and either
/// none of them prepared (J1: any block may be proposed), or the proposed block is the one prepared in the highest
/// prepared round among them, proved by a PREPARE quorum for that round and digest (J2).
/// </summary>
internal static class ProposalJustificationValidator
{
    public static ValidationResult Check(SignedMessage proposal, string chainId, ValidatorView validators, IValidatorKeys keys)
    {
        var (height, round, digest) = (proposal.Height, proposal.Round, proposal.Payload.Digest!.Value);
        var signers = new HashSet<Hash32>();
        ConsensusPayload? highest = null;
        foreach (var rc in proposal.RoundChanges)
        {
            var p = rc.Payload;
            if (p.Type != MessageType.RoundChange || p.Height != height || p.Round != round)
                return Fail($"a {p.Type} for ({p.Height}, {p.Round}) justifying a proposal for ({height}, {round})");
            if (!signers.Add(rc.Signer)) return Fail($"two round changes by {rc.Signer}");
            var auth = PayloadAuthenticator.Check(rc, chainId, validators, keys);
            if (!auth.IsValid) return Fail(auth.Reason ?? auth.Code.ToString());
            if (p.IsPrepared && (highest is null || p.PreparedRound > highest.PreparedRound)) highest = p;
        }
        if (signers.Count < validators.Quorum) return Fail($"{signers.Count} round changes, quorum is {validators.Quorum}");
        if (highest is null)
            return proposal.Prepares.Count == 0 ? ValidationResult.Valid : Fail("prepares without a prepared round change");
        var preparedRound = highest.PreparedRound;
        if (!proposal.RoundChanges.Any(rc => rc.Payload.PreparedRound == preparedRound && rc.Payload.PreparedDigest == digest))
            return Fail($"the block is not the one prepared in round {preparedRound}");
        return PreparedCertificateValidator.Check(proposal.Prepares, chainId, height, preparedRound, digest, validators, keys);
    }

    private static ValidationResult Fail(string reason) => ValidationResult.Fail(ErrorCode.InvalidJustification, reason);
}
