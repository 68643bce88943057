using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Governance;
using Ledger.Chain.Pool;
using Ledger.Chain.Revocation;
using Ledger.Chain.Validation;
using Ledger.Chaincode;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Governance;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Storage;
using Ledger.TestKit;
using Ledger.TestKit.Network;

namespace Ledger.Node.Tests.Governance;

/// <summary>
/// Validator-set governance on a real chain (chaincode, state tree, executor, store) of four genesis validators: who may
/// propose and vote, when a proposal passes, is rejected or expires, what the schedule then says for each height, that
/// the block rules follow it (a removed validator's seals no longer count), and that a restarted node reads it back.
/// </summary>
public class ValidatorGovernanceTests
{
    private const int Delay = 4;

    private static ProposeValidatorChangePayload Add(TestParty validator, ulong at, string? name = null) => new()
    {
        Change = ValidatorChange.Add,
        Name = name ?? validator.Name,
        Certificate = validator.Certificate!.Der,
        EffectiveHeight = at,
    };

    private static ProposeValidatorChangePayload Remove(TestParty validator, ulong at) => new()
    {
        Change = ValidatorChange.Remove,
        Validator = validator.Certificate!.Id,
        EffectiveHeight = at,
    };

    private static (GovernanceChain Chain, TestParty Newcomer) NewChain()
    {
        var consortium = new TestConsortium(validators: 4);
        var chain = new GovernanceChain(consortium, Delay);
        var newcomer = consortium.Party(consortium.ShenzhenCa, "shenzhen", Role.Validator, TestConsortium.Shenzhen);
        chain.Keys.AddRange([.. consortium.Validators, newcomer]);
        return (chain, newcomer);
    }

    [Test]
    public void A_validator_is_added_by_a_quorum_of_votes_from_the_stated_height_on()
    {
        var (c, newcomer) = NewChain();
        var v = c.Consortium.Validators;
        var effective = c.Height + 20;
        var (proposal, receipt) = c.Propose(Add(newcomer, effective), v[0]);
        Assert.That(receipt.Code, Is.EqualTo(ErrorCode.Ok), receipt.Message);
        Assert.That(c.Proposal(proposal).Status, Is.EqualTo(ProposalStatus.Open), "one approval of four");
        Assert.That(c.Vote(proposal, v[1]).Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(c.Proposal(proposal).Status, Is.EqualTo(ProposalStatus.Open), "two of four: the quorum is three");
        Assert.That(c.Sets.At(effective).Count, Is.EqualTo(4), "nothing scheduled while open");

        var passing = c.Vote(proposal, v[2]);
        Assert.That(passing.Code, Is.EqualTo(ErrorCode.Ok), passing.Message);
        Assert.That(passing.Message, Does.Contain("passed with 3 of 4"));
        var record = c.Proposal(proposal);
        Assert.That(record.Status, Is.EqualTo(ProposalStatus.Passed));
        Assert.That(record.DecidedAt, Is.EqualTo(c.Height));

        Assert.That(c.Sets.At(effective - 1).Count, Is.EqualTo(4), "the old set decides up to the effective height");
        Assert.That(c.Sets.At(effective).Count, Is.EqualTo(5));
        Assert.That(c.Sets.At(effective).Find(newcomer.Certificate!.Id), Is.Not.Null);
        Assert.That(c.Sets.At(effective).Names[newcomer.Certificate!.Id], Is.EqualTo("shenzhen"));
        Assert.That(c.Sets.At(effective).Quorum, Is.EqualTo(4));
        Assert.That(c.Vote(proposal, v[3]).Code, Is.EqualTo(ErrorCode.ProposalClosed), "a passed proposal takes no more votes");

        // The blocks follow the schedule: the header of the effective height must name the new set.
        c.BlocksUntil(effective);
        var header = c.Ledger.GetBlock(effective)!.Header;
        Assert.That(header.ValidatorSetHash, Is.EqualTo(c.Sets.At(effective).Hash));
        Assert.That(c.Ledger.GetBlock(effective - 1)!.Header.ValidatorSetHash, Is.EqualTo(c.Sets.Genesis.Hash));
        Assert.That(c.Ledger.GetChainInfo().Validators, Is.EqualTo(5));
    }

    [Test]
    public void Only_a_validator_of_the_current_set_may_propose_or_vote()
    {
        var (c, newcomer) = NewChain();
        var effective = c.Height + 20;
        Assert.That(c.Propose(Add(newcomer, effective), c.Consortium.Bureau).Receipt.Code, Is.EqualTo(ErrorCode.GovernanceRoleNotAllowed), "a Bureau");
        Assert.That(c.Propose(Add(newcomer, effective), newcomer).Receipt.Code, Is.EqualTo(ErrorCode.GovernanceRoleNotAllowed), "a validator certificate not in the set");
        var (proposal, _) = c.Propose(Add(newcomer, effective), c.Consortium.Validators[0]);
        Assert.That(c.Vote(proposal, newcomer).Code, Is.EqualTo(ErrorCode.GovernanceRoleNotAllowed), "the newcomer cannot vote itself in");
        Assert.That(c.Vote(proposal, c.Consortium.Employer).Code, Is.EqualTo(ErrorCode.GovernanceRoleNotAllowed));
        Assert.That(c.Vote(proposal, c.Consortium.Validators[0]).Code, Is.EqualTo(ErrorCode.AlreadyVoted), "the proposal was its proposer's approval");
        Assert.That(c.Vote(Sm3.Hash("no such proposal"u8), c.Consortium.Validators[1]).Code, Is.EqualTo(ErrorCode.ProposalNotFound));
        Assert.That(c.Proposal(proposal).Approvals, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_proposal_is_refused_when_it_cannot_apply()
    {
        var (c, newcomer) = NewChain();
        var v = c.Consortium.Validators;
        Assert.That(c.Propose(Add(newcomer, c.Height + 2), v[0]).Receipt.Code, Is.EqualTo(ErrorCode.EffectiveHeightTooSoon));
        Assert.That(c.Propose(Add(v[1], c.Height + 20, "again"), v[0]).Receipt.Code, Is.EqualTo(ErrorCode.InvalidProposal), "already a validator");
        Assert.That(c.Propose(Add(newcomer, c.Height + 20, v[1].Name), v[0]).Receipt.Code, Is.EqualTo(ErrorCode.InvalidProposal), "a name in use");
        var employer = c.Consortium.Employer;
        Assert.That(c.Propose(Add(employer, c.Height + 20, "employer"), v[0]).Receipt.Code, Is.EqualTo(ErrorCode.InvalidProposal), "not a Validator certificate");
        var foreign = new TestConsortium(validators: 1, chainId: "other");
        var outsider = foreign.Party(foreign.Root, "outsider", Role.Validator, TestConsortium.Province);
        var receipt = c.Propose(Add(outsider, c.Height + 20), v[0]).Receipt;
        Assert.That(receipt.Code, Is.EqualTo(ErrorCode.InvalidProposal), "a validator certificate of another consortium's root");
        Assert.That(c.Propose(Remove(newcomer, c.Height + 20), v[0]).Receipt.Code, Is.EqualTo(ErrorCode.InvalidProposal), "not a validator");
        // One validator per bureau: a second Guangzhou validator is refused; a Replace keeps the bureau.
        var secondGuangzhou = c.Consortium.Party(c.Consortium.GuangzhouCa, "guangzhou-2", Role.Validator, TestConsortium.Guangzhou);
        var twice = c.Propose(Add(secondGuangzhou, c.Height + 20), v[0]).Receipt;
        Assert.That(twice.Code, Is.EqualTo(ErrorCode.InvalidProposal));
        Assert.That(twice.Message, Does.Contain("one validator per bureau"));
        var otherBureau = c.Propose(new ProposeValidatorChangePayload { Change = ValidatorChange.Replace, Name = v[1].Name, Certificate = newcomer.Certificate!.Der, EffectiveHeight = c.Height + 20 }, v[0]).Receipt;
        Assert.That(otherBureau.Message, Does.Contain("another bureau's"), "a Shenzhen certificate cannot replace a Guangzhou validator");
    }

    [Test]
    public void A_proposal_without_a_quorum_in_time_expires_and_never_takes_effect()
    {
        var (c, newcomer) = NewChain();
        var v = c.Consortium.Validators;
        var effective = c.Height + Delay + 3;
        var (proposal, _) = c.Propose(Add(newcomer, effective), v[0]);
        Assert.That(c.Vote(proposal, v[1]).Code, Is.EqualTo(ErrorCode.Ok));
        c.BlocksUntil(effective - Delay);
        var late = c.Vote(proposal, v[2]);
        Assert.That(late.Code, Is.EqualTo(ErrorCode.ProposalClosed), late.Message);
        Assert.That(late.Message, Does.Contain("expired"));
        c.BlocksUntil(effective + 2);
        Assert.That(c.Sets.Count, Is.EqualTo(1), "genesis's set only");
        Assert.That(c.Sets.At(effective).Find(newcomer.Certificate!.Id), Is.Null);
        Assert.That(c.Ledger.GetBlock(effective)!.Header.ValidatorSetHash, Is.EqualTo(c.Sets.Genesis.Hash));
    }

    [Test]
    public void Enough_refusals_reject_a_proposal_for_good()
    {
        var (c, newcomer) = NewChain();
        var v = c.Consortium.Validators;
        var (proposal, _) = c.Propose(Add(newcomer, c.Height + 20), v[0]);
        Assert.That(c.Vote(proposal, v[1], approve: false).Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(c.Proposal(proposal).Status, Is.EqualTo(ProposalStatus.Open), "one refusal of four leaves three possible approvals");
        var second = c.Vote(proposal, v[2], approve: false);
        Assert.That(second.Message, Does.Contain("rejected"));
        Assert.That(c.Proposal(proposal).Status, Is.EqualTo(ProposalStatus.Rejected));
        Assert.That(c.Vote(proposal, v[3]).Code, Is.EqualTo(ErrorCode.ProposalClosed));
        Assert.That(c.Sets.Count, Is.EqualTo(1));
    }

    [Test]
    public void A_removed_validator_no_longer_decides_and_its_seals_no_longer_count()
    {
        var (c, _) = NewChain();
        var v = c.Consortium.Validators;
        var effective = c.Height + 10;
        var (proposal, _) = c.Propose(Remove(v[3], effective), v[0]);
        c.Vote(proposal, v[1]);
        Assert.That(c.Vote(proposal, v[2]).Message, Does.Contain("passed"));
        c.BlocksUntil(effective - 1);
        Assert.That(c.Sets.At(effective).Count, Is.EqualTo(3));
        Assert.That(c.Sets.At(effective).Find(v[3].Certificate!.Id), Is.Null);

        // A block of the effective height sealed by the removed validator with one that remains: a quorum of the old set
        // would count both; the new set knows only one of them.
        c.Block();
        var block = c.Ledger.GetBlock(effective)!;
        var hash = block.Header.ComputeHash(Sm3Hasher.Instance);
        CommitSeal Seal(TestParty by, ulong height, Hash32 blockHash) =>
            new(by.Certificate!.Id, by.Key.Sign(CommitSeal.SigningMessage(c.Consortium.ChainId, height, 0, blockHash)));
        var rule = new CommitCertificateRule(c.Consortium.ChainId, c.Sets);
        BlockCandidate Candidate(Core.Blocks.Block b, Hash32 h, params CommitSeal[] seals) => new()
        {
            Block = b, Hash = h, Parent = c.Ledger.Head, Height = b.Header.Height, Round = 0,
            Certificate = new CommitCertificate { Height = b.Header.Height, Round = 0, BlockHash = h, Seals = seals },
        };
        var withRemoved = Candidate(block, hash, Seal(v[0], effective, hash), Seal(v[3], effective, hash));
        Assert.That(rule.Check(withRemoved).Code, Is.EqualTo(ErrorCode.UnknownValidator));
        var remaining = Candidate(block, hash, Seal(v[0], effective, hash), Seal(v[1], effective, hash));
        Assert.That(rule.Check(remaining).IsValid, Is.True, "two of the three that remain are a quorum");

        // Before the effective height the removed validator still counted.
        var earlier = c.Ledger.GetBlock(effective - 1)!;
        var earlierHash = earlier.Header.ComputeHash(Sm3Hasher.Instance);
        var old = Candidate(earlier, earlierHash, Seal(v[0], effective - 1, earlierHash), Seal(v[1], effective - 1, earlierHash), Seal(v[3], effective - 1, earlierHash));
        Assert.That(rule.Check(old).IsValid, Is.True);
    }

    [Test]
    public void A_validator_is_re_certified_by_vote_and_proofs_across_the_renewal_verify()
    {
        var (c, _) = NewChain();
        var v = c.Consortium.Validators;
        // The same bureau's validator with a new key and certificate (a renewal before its old one expires).
        var renewed = c.Consortium.Party(c.Consortium.GuangzhouCa, v[3].Name, Role.Validator, TestConsortium.Guangzhou);
        c.Keys.Add(renewed);
        var effective = c.Height + 10;
        var change = new ProposeValidatorChangePayload { Change = ValidatorChange.Replace, Name = v[3].Name, Certificate = renewed.Certificate!.Der, EffectiveHeight = effective };
        var (proposal, receipt) = c.Propose(change, v[0]);
        Assert.That(receipt.Code, Is.EqualTo(ErrorCode.Ok), receipt.Message);
        c.Vote(proposal, v[1]);
        Assert.That(c.Vote(proposal, v[3]).Message, Does.Contain("passed"), "the old key approves its successor");
        Assert.That(c.Sets.At(effective).Count, Is.EqualTo(4));
        Assert.That(c.Sets.At(effective).Find(renewed.Certificate!.Id), Is.Not.Null);
        Assert.That(c.Sets.At(effective).Find(v[3].Certificate!.Id), Is.Null, "the old certificate no longer decides");
        Assert.That(c.Sets.At(effective).Names[renewed.Certificate!.Id], Is.EqualTo(v[3].Name));
        Assert.That(c.Sets.At(effective - 1).Find(v[3].Certificate!.Id), Is.Not.Null);

        c.BlocksUntil(effective);
        var after = Register(c, "GOV-RENEWED");
        var report = new Ledger.Client.Evidence.EvidenceVerifier(c.Consortium.Genesis).Verify(c.Ledger.GetEvidence(after)!);
        Assert.That(report.Result.IsValid, Is.True, report.Result.ToString());
        Assert.That(report.SealedBy.Select(s => s.CertificateId), Does.Contain(renewed.Certificate!.Id));

        var unknown = change with { Name = "nobody", EffectiveHeight = c.Height + 10 };
        Assert.That(c.Propose(unknown, v[0]).Receipt.Code, Is.EqualTo(ErrorCode.InvalidProposal), "no validator of that name");
        var twice = change with { EffectiveHeight = c.Height + 10 };
        Assert.That(c.Propose(twice, v[0]).Receipt.Code, Is.EqualTo(ErrorCode.InvalidProposal), "that certificate is already a validator's");
    }

    [Test]
    public void Changes_voted_in_at_different_times_compose_in_height_order_and_a_restart_reads_them_back()
    {
        var (c, newcomer) = NewChain();
        var v = c.Consortium.Validators;
        var later = c.Height + 30;
        var (first, _) = c.Propose(Remove(v[3], later), v[0]);
        c.Vote(first, v[1]);
        c.Vote(first, v[2]);
        var earlier = c.Height + 10;
        var (second, _) = c.Propose(Add(newcomer, earlier), v[0]);
        c.Vote(second, v[1]);
        Assert.That(c.Vote(second, v[2]).Message, Does.Contain("passed"));
        Assert.That(c.Sets.At(earlier - 1).Count, Is.EqualTo(4));
        Assert.That(c.Sets.At(earlier).Count, Is.EqualTo(5), "the newcomer joins");
        Assert.That(c.Sets.At(later).Count, Is.EqualTo(4), "the removal applies to the set that already includes the newcomer");
        Assert.That(c.Sets.At(later).Find(newcomer.Certificate!.Id), Is.Not.Null);
        Assert.That(c.Sets.At(later).Find(v[3].Certificate!.Id), Is.Null);

        var restarted = new GovernanceChain(c.Consortium, Delay, c.Kv);
        foreach (var h in new[] { 1UL, earlier - 1, earlier, later - 1, later, later + 100 })
            Assert.That(restarted.Sets.At(h).Hash, Is.EqualTo(c.Sets.At(h).Hash), $"height {h}");
    }

    [Test]
    public void A_proof_after_a_change_carries_how_its_set_derives_from_genesis_and_verifies_offline()
    {
        var (c, newcomer) = NewChain();
        var v = c.Consortium.Validators;
        var before = Register(c, "GOV-BEFORE");
        var effective = c.Height + 10;
        var (proposal, _) = c.Propose(Add(newcomer, effective), v[0]);
        c.Vote(proposal, v[1]);
        c.Vote(proposal, v[2]);
        var decidedAt = c.Proposal(proposal).DecidedAt;
        c.BlocksUntil(effective);
        var after = Register(c, "GOV-AFTER");
        var verifier = new Ledger.Client.Evidence.EvidenceVerifier(c.Consortium.Genesis);

        var early = c.Ledger.GetEvidence(before)!;
        Assert.That(early.ValidatorCheckpoints, Is.Null, "before any change, genesis's set needs no checkpoint");
        Assert.That(verifier.Verify(early).Result.IsValid, Is.True, verifier.Verify(early).Result.ToString());

        var proof = c.Ledger.GetEvidence(after)!;
        Assert.That(proof.ValidatorCheckpoints, Has.Count.EqualTo(1));
        Assert.That(BlockHeader.Decode(Convert.FromBase64String(proof.ValidatorCheckpoints![0].Header)).Height, Is.EqualTo(decidedAt));
        var report = verifier.Verify(proof);
        Assert.That(report.Result.IsValid, Is.True, report.Result.ToString());
        Assert.That(report.ValidatorCount, Is.EqualTo(5));
        Assert.That(report.SealedBy.Select(s => s.CertificateId), Does.Contain(newcomer.Certificate!.Id));
        // Through JSON, as a court receives it.
        Assert.That(verifier.Verify(Core.Evidence.EvidenceProof.FromJson(proof.ToJson())).Result.IsValid, Is.True);

        // Without the checkpoint the verifier counts against genesis's set, which is not the one the header names.
        Assert.That(verifier.Verify(proof with { ValidatorCheckpoints = null }).Result.Code, Is.EqualTo(ErrorCode.UnknownValidatorSet));
        // A schedule that is not the one under the checkpoint's state root.
        var forged = proof.ValidatorCheckpoints[0] with { Schedule = Convert.ToBase64String(c.Sets.GenesisSchedule.Encode()) };
        Assert.That(verifier.Verify(proof with { ValidatorCheckpoints = [forged] }).Result.Code, Is.EqualTo(ErrorCode.InvalidStateProof));
        // A checkpoint block sealed by fewer than a quorum of its height's set.
        var commit = CommitCertificate.Decode(Convert.FromBase64String(proof.ValidatorCheckpoints[0].Commit));
        var thin = new CommitCertificate { Height = commit.Height, Round = commit.Round, BlockHash = commit.BlockHash, Seals = commit.Seals.Take(2).ToArray() };
        var unsealed = proof.ValidatorCheckpoints[0] with { Commit = Convert.ToBase64String(thin.Encode()) };
        Assert.That(verifier.Verify(proof with { ValidatorCheckpoints = [unsealed] }).Result.Code, Is.EqualTo(ErrorCode.InsufficientSeals));
        // The same checkpoint twice.
        Assert.That(verifier.Verify(proof with { ValidatorCheckpoints = [proof.ValidatorCheckpoints[0], proof.ValidatorCheckpoints[0]] }).Result.Code, Is.EqualTo(ErrorCode.InvalidProof));
        // A proof listing genesis's four instead of the five of its height.
        Assert.That(verifier.Verify(proof with { Validators = early.Validators }).Result.Code, Is.EqualTo(ErrorCode.UnknownValidator));

        // A contract bundle after the change verifies too.
        var bundle = c.Ledger.GetContractEvidence("GOV-AFTER", null)!;
        Assert.That(bundle.ValidatorCheckpoints, Has.Count.EqualTo(1));
        var bundleReport = new Ledger.Client.Evidence.ContractEvidenceVerifier(c.Consortium.Genesis).Verify(bundle);
        Assert.That(bundleReport.Result.IsValid, Is.True, bundleReport.Result.ToString());
    }

    [Test]
    public void The_JavaScript_verifier_derives_the_set_through_the_same_checkpoints()
    {
        var (c, newcomer) = NewChain();
        var v = c.Consortium.Validators;
        var effective = c.Height + 10;
        var (proposal, _) = c.Propose(Add(newcomer, effective), v[0]);
        c.Vote(proposal, v[1]);
        c.Vote(proposal, v[2]);
        c.BlocksUntil(effective);
        var after = Register(c, "GOV-JS");
        var proof = c.Ledger.GetEvidence(after)!;
        var bundle = c.Ledger.GetContractEvidence("GOV-JS", null)!;
        var directory = JsVerifier.Install();
        var work = Directory.CreateTempSubdirectory("js-governance-").FullName;
        try
        {
            var genesis = Path.Combine(work, "genesis.json");
            File.WriteAllText(genesis, c.Consortium.Genesis.ToJson());
            string Js(string json)
            {
                var file = Path.Combine(work, $"{Guid.NewGuid():N}.json");
                File.WriteAllText(file, json);
                var run = ProcessRunner.Run("node", ["verify.js", file, "--genesis", genesis], directory);
                return System.Text.Json.JsonDocument.Parse(run.StdOut).RootElement.GetProperty("code").GetString()!;
            }
            Assert.That(Js(proof.ToJson()), Is.EqualTo("Ok"));
            Assert.That(Js(bundle.ToJson()), Is.EqualTo("Ok"));
            Assert.That(Js((proof with { ValidatorCheckpoints = null }).ToJson()), Is.EqualTo(nameof(ErrorCode.UnknownValidatorSet)));
            var forged = proof.ValidatorCheckpoints![0] with { Schedule = Convert.ToBase64String(c.Sets.GenesisSchedule.Encode()) };
            Assert.That(Js((proof with { ValidatorCheckpoints = [forged] }).ToJson()), Is.EqualTo(nameof(ErrorCode.InvalidStateProof)));
            var commit = CommitCertificate.Decode(Convert.FromBase64String(proof.ValidatorCheckpoints[0].Commit));
            var thin = new CommitCertificate { Height = commit.Height, Round = commit.Round, BlockHash = commit.BlockHash, Seals = commit.Seals.Take(2).ToArray() };
            Assert.That(Js((proof with { ValidatorCheckpoints = [proof.ValidatorCheckpoints[0] with { Commit = Convert.ToBase64String(thin.Encode()) }] }).ToJson()),
                Is.EqualTo(nameof(ErrorCode.InsufficientSeals)));
            Assert.That(Js((proof with { ValidatorCheckpoints = [proof.ValidatorCheckpoints[0], proof.ValidatorCheckpoints[0]] }).ToJson()), Is.EqualTo(nameof(ErrorCode.InvalidProof)));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Test]
    public async Task A_follower_checks_every_block_across_a_change_by_asking_for_the_set_and_never_trusting_it()
    {
        var (c, newcomer) = NewChain();
        var v = c.Consortium.Validators;
        var effective = c.Height + 10;
        var (proposal, _) = c.Propose(Add(newcomer, effective), v[0]);
        c.Vote(proposal, v[1]);
        c.Vote(proposal, v[2]);
        c.BlocksUntil(effective + 5);
        var fetched = new List<ulong>();
        var follower = new Ledger.Client.Evidence.CertifiedBlockVerifier(c.Consortium.Genesis, (h, _) =>
        {
            fetched.Add(h);
            return Task.FromResult(c.Ledger.GetValidatorSet(h));
        });
        for (var h = 1UL; h <= c.Height; h++)
        {
            var block = c.Ledger.GetBlock(h)!;
            var result = await follower.VerifyAsync(block.Header, block.Commit!);
            Assert.That(result.Result.IsValid, Is.True, $"height {h}: {result.Result}");
            Assert.That(result.ValidatorCount, Is.EqualTo(h < effective ? 4 : 5));
        }
        Assert.That(fetched, Is.EqualTo(new[] { effective }), "asked once, at the first block of the new set");

        var atEffective = c.Ledger.GetBlock(effective)!;
        var alone = new Ledger.Client.Evidence.CertifiedBlockVerifier(c.Consortium.Genesis);
        Assert.That((await alone.VerifyAsync(atEffective.Header, atEffective.Commit!)).Result.Code, Is.EqualTo(ErrorCode.UnknownValidatorSet), "without asking, genesis's set");
        // A node lying about the set: genesis's four listed, no checkpoints; or the checkpoint stripped of its seals.
        var lie = c.Ledger.GetValidatorSet(effective)! with { ValidatorCheckpoints = null };
        var lied = new Ledger.Client.Evidence.CertifiedBlockVerifier(c.Consortium.Genesis, (_, _) => Task.FromResult<Core.Evidence.ValidatorSetProof?>(lie));
        Assert.That((await lied.VerifyAsync(atEffective.Header, atEffective.Commit!)).Result.IsValid, Is.False);
        Assert.That(c.Ledger.GetValidatorSet(c.Height + 2), Is.Null, "beyond the next height");
        Assert.That(Core.Evidence.ValidatorSetProof.FromJson(c.Ledger.GetValidatorSet(effective)!.ToJson()).ValidatorCheckpoints, Has.Count.EqualTo(1));
    }

    private static Hash32 Register(GovernanceChain c, string contractId)
    {
        var envelope = c.Consortium.Transaction(c.Consortium.Register(contractId, Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(contractId))), c.Consortium.Employer, [c.Consortium.Employer]);
        var submitted = c.Ledger.Submit(envelope.Encode());
        Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
        c.Block();
        Assert.That(c.Ledger.GetTransaction(submitted.TxId!.Value)!.Receipt.Code, Is.EqualTo(ErrorCode.Ok));
        return submitted.TxId!.Value;
    }

    [Test]
    public void The_governance_payloads_refuse_malformed_shapes()
    {
        Assert.Throws<LedgerException>(() => ProposeValidatorChangePayload.Decode(new ProposeValidatorChangePayload { Change = ValidatorChange.Add, EffectiveHeight = 5 }.Encode()), "an Add without a certificate");
        Assert.Throws<LedgerException>(() => ProposeValidatorChangePayload.Decode(new ProposeValidatorChangePayload { Change = ValidatorChange.Remove, EffectiveHeight = 5 }.Encode()), "a Remove naming no validator");
        Assert.Throws<LedgerException>(() => ProposeValidatorChangePayload.Decode(new ProposeValidatorChangePayload { Change = (ValidatorChange)7, EffectiveHeight = 5, Validator = Hash32.Zero }.Encode()));
        Assert.Throws<LedgerException>(() => ProposeValidatorChangePayload.Decode(new ProposeValidatorChangePayload
            { Change = ValidatorChange.Add, Name = "bad name!", Certificate = new byte[10], EffectiveHeight = 5 }.Encode()));
        var vote = new GovernanceVotePayload { Proposal = Sm3.Hash("p"u8), Approve = true };
        Assert.That(GovernanceVotePayload.Decode(vote.Encode()), Is.EqualTo(vote));
    }
}
