using Ledger.Chain.Validation;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Storage;
using Ledger.TestKit;
using Ledger.TestKit.Network;

namespace Ledger.Chain.Tests.Validation;

/// <summary>Each block rule on its own: what it refuses (with which code) and what it lets through.</summary>
public class BlockRuleTests
{
    private static readonly TestConsortium Consortium = new(chainId: "gd-rules");
    private static readonly TestConsortium Other = new(chainId: "gd-rules");
    private BlockBench _bench = null!;

    [SetUp]
    public void SetUp() => _bench = new BlockBench(Consortium);

    [TearDown]
    public void TearDown() => _bench.Dispose();

    private BlockCandidate Valid(uint round = 0) => _bench.Proposal(_bench.Build([_bench.Register($"GZ-RULE-{TestContext.CurrentContext.Test.ID}")]), round);

    private static void Refuses(IBlockRule rule, BlockCandidate candidate, ErrorCode code)
    {
        var result = rule.Check(candidate);
        Assert.That(result.Code, Is.EqualTo(code), result.ToString());
        Assert.That(result.Reason, Is.Not.Empty);
    }

    private static void Accepts(IBlockRule rule, BlockCandidate candidate) => Assert.That(rule.Check(candidate).IsValid, Is.True, rule.Check(candidate).ToString());

    [Test]
    public void Header_hash_rule_refuses_a_proposal_announced_under_another_hash()
    {
        var rule = new HeaderHashRule(Sm3Hasher.Instance);
        var candidate = Valid();
        Accepts(rule, candidate);
        Refuses(rule, Copy(candidate, hash: Sm3.Hash("another"u8)), ErrorCode.InvalidBlockHash);
    }

    [Test]
    public void Height_rule_refuses_a_block_for_another_height_or_a_node_at_another_head()
    {
        var candidate = Valid();
        Accepts(HeightRule.Instance, candidate);
        Refuses(HeightRule.Instance, Copy(candidate, height: 2), ErrorCode.BlockOutOfOrder);
        var later = new ChainHead(1, candidate.Parent.Hash, candidate.Parent.Header);
        Refuses(HeightRule.Instance, Copy(candidate, parent: later, height: 2), ErrorCode.BlockOutOfOrder);
    }

    [Test]
    public void Parent_rule_refuses_a_block_that_does_not_extend_the_head_and_says_fork_for_a_certified_one()
    {
        var candidate = Valid();
        Accepts(ParentRule.Instance, candidate);
        var elsewhere = new ChainHead(0, Sm3.Hash("another head"u8), candidate.Parent.Header);
        Refuses(ParentRule.Instance, Copy(candidate, parent: elsewhere), ErrorCode.BlockParentMismatch);
        var certified = _bench.Certified(candidate.Block, candidate.Hash, _bench.Certify(candidate.Hash, 1));
        Assert.That(ParentRule.Instance.Check(Copy(certified, parent: elsewhere)).Reason, Does.Contain("forked"));
    }

    [Test]
    public void Validator_set_rule_refuses_a_header_naming_another_set()
    {
        Accepts(new ValidatorSetRule(new Ledger.Chain.Governance.ValidatorSets(Consortium.Genesis, Sm3Hasher.Instance)), Valid());
        Refuses(new ValidatorSetRule(new Ledger.Chain.Governance.ValidatorSets(Other.Genesis, Sm3Hasher.Instance)), Valid(), ErrorCode.WrongValidatorSet);
    }

    [Test]
    public void Proposer_rule_refuses_a_block_made_by_a_non_validator()
    {
        var rule = new ProposerRule(new Ledger.Chain.Governance.ValidatorSets(Consortium.Genesis, Sm3Hasher.Instance));
        Accepts(rule, Valid());
        var byOutsider = _bench.Proposal(_bench.Build([], proposer: Other.Validators[0].Certificate!.Id));
        Refuses(rule, byOutsider, ErrorCode.UnknownValidator);
    }

    [Test]
    public void Round_rule_refuses_a_block_made_in_a_later_round_than_it_is_proposed_in()
    {
        var made = _bench.Build([], round: 2);
        Accepts(RoundRule.Instance, _bench.Proposal(made, round: 2));
        Accepts(RoundRule.Instance, _bench.Proposal(made, round: 3));
        Refuses(RoundRule.Instance, _bench.Proposal(made, round: 1), ErrorCode.BlockRoundAhead);
    }

    [Test]
    public void Time_after_parent_rule_refuses_a_block_not_later_than_its_parent()
    {
        var parentTime = _bench.Node.Chain.Head.Header.Timestamp;
        Accepts(TimeAfterParentRule.Instance, _bench.Proposal(_bench.Build([], time: parentTime + 1)));
        Refuses(TimeAfterParentRule.Instance, _bench.Proposal(_bench.Build([], time: parentTime)), ErrorCode.BlockTimeNotAfterParent);
        Refuses(TimeAfterParentRule.Instance, _bench.Proposal(_bench.Build([], time: parentTime - 1000)), ErrorCode.BlockTimeNotAfterParent);
    }

    [TestCase(0, true)]
    [TestCase(500, true)]
    [TestCase(501, false)]
    [TestCase(-5_500, true)]
    [TestCase(-5_501, false)]
    [TestCase(30_000, false)]
    [TestCase(-30_000, false)]
    public void Timely_proposal_rule_accepts_only_times_within_precision_and_message_delay_of_the_local_clock(long offsetMs, bool timely)
    {
        var now = DateTimeOffset.UtcNow;
        var rule = new TimelyProposalRule(new ProposalTiming(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5)), new FixedClock(now));
        var candidate = _bench.Proposal(_bench.Build([], time: now.ToUnixTimeMilliseconds() + offsetMs));
        if (timely) Accepts(rule, candidate);
        else Refuses(rule, candidate, ErrorCode.UntimelyProposal);
    }

    [Test]
    public void Timely_proposal_rule_does_not_judge_a_reproposal_of_a_prepared_block_again()
    {
        var now = DateTimeOffset.UtcNow;
        var rule = new TimelyProposalRule(new ProposalTiming(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5)), new FixedClock(now.AddMinutes(2)));
        var executed = _bench.Build([], time: now.ToUnixTimeMilliseconds());
        Refuses(rule, _bench.Proposal(executed, round: 1), ErrorCode.UntimelyProposal);
        Accepts(rule, _bench.Proposal(executed, round: 1, reproposal: true));
    }

    [Test]
    public void Commit_certificate_rule_needs_a_quorum_of_valid_distinct_seals_of_this_set_on_this_block()
    {
        var rule = new CommitCertificateRule(Consortium.ChainId, new Ledger.Chain.Governance.ValidatorSets(Consortium.Genesis, Sm3Hasher.Instance));
        var executed = _bench.Build([]);
        var hash = executed.BlockHash;
        var good = _bench.Certify(hash, 1);
        Accepts(rule, _bench.Certified(executed.Block, hash, good));
        Refuses(rule, _bench.Certified(executed.Block, hash, null), ErrorCode.InsufficientSeals);
        Refuses(rule, _bench.Certified(executed.Block, hash, good with { Seals = [] }), ErrorCode.InsufficientSeals);
        Refuses(rule, _bench.Certified(executed.Block, hash, _bench.Certify(Sm3.Hash("other block"u8), 1)), ErrorCode.InvalidBlockHash);
        Refuses(rule, _bench.Certified(executed.Block, hash, good with { Seals = [good.Seals[0], good.Seals[0]] }), ErrorCode.DuplicateSeal);
        var outsider = Other.Validators[0];
        var foreignSeal = new CommitSeal(outsider.Certificate!.Id, outsider.Key.Sign(CommitSeal.SigningMessage(Consortium.ChainId, 1, 0, hash)));
        Refuses(rule, _bench.Certified(executed.Block, hash, good with { Seals = [foreignSeal] }), ErrorCode.UnknownValidator);
        var wrongRound = good with { Round = 1 }; // the seal signed round 0
        Refuses(rule, _bench.Certified(executed.Block, hash, wrongRound), ErrorCode.InvalidSeal);
    }

    [Test]
    public void Transactions_rule_refuses_a_block_with_a_tx_of_another_chain_or_a_forged_signature_and_keeps_the_verified_txs()
    {
        var rule = new TransactionsRule(_bench.Node.Admission);
        var good = _bench.Register("GZ-TXRULE-1");
        var candidate = Valid();
        Accepts(rule, candidate);
        Assert.That(candidate.Verified, Has.Count.EqualTo(1));

        var foreign = Consortium.Transaction(Consortium.Register("GZ-TXRULE-2", Sm3.Hash("x"u8)), Consortium.Employer, [Consortium.Employer], chainId: "another-chain");
        Refuses(rule, WithTxs(candidate, good.Encode(), foreign.Encode()), ErrorCode.WrongChainId);

        var forged = new Core.Transactions.TxEnvelope
        {
            BodyBytes = good.BodyBytes,
            // Every endorsement the body lists, the first one's signature made by another key.
            Endorsements = [new Core.Transactions.Endorsement { Certificate = good.Endorsements[0].Certificate, Signature = Consortium.Bureau.Key.Sign(good.BodyBytes.Span), Scope = good.Endorsements[0].Scope },
                .. good.Endorsements.Skip(1)],
        };
        Refuses(rule, WithTxs(candidate, forged.Encode()), ErrorCode.InvalidSignature);
        Refuses(rule, WithTxs(candidate, [0x0a, 0x05, 0x01]), ErrorCode.Truncated);
    }

    [Test]
    public void Endorsement_revocation_rule_refuses_a_certificate_revoked_before_the_block_not_one_revoked_after()
    {
        var revoked = Consortium.Party(Consortium.GuangzhouCa, "Revoked Rule Co.", Role.Employer, TestConsortium.Guangzhou, Consortium.EmployerCreditCode);
        var now = DateTimeOffset.UtcNow;
        var crl = Consortium.GuangzhouCa.IssueCrl([new RevokedCertificate(revoked.Certificate!.SerialNumberHex, now.AddMinutes(-5))], now.AddMinutes(-1), now.AddDays(7));
        using var bench = new BlockBench(Consortium, crl);
        var rule = new EndorsementRevocationRule(new CrlFileRevocationStatus(bench.Node.Certificates));

        Refuses(rule, bench.Proposal(bench.Build([bench.Register("GZ-REVOKED-1", revoked)])), ErrorCode.CertificateRevoked);
        Accepts(rule, bench.Proposal(bench.Build([bench.Register("GZ-REVOKED-2", revoked)], time: now.AddMinutes(-10).ToUnixTimeMilliseconds())));
        Accepts(rule, bench.Proposal(bench.Build([bench.Register("GZ-NOT-REVOKED")])));
    }

    [Test]
    public void Endorsement_revocation_rule_asks_whatever_source_it_is_given()
    {
        var asked = new List<DateTimeOffset>();
        var source = new StubRevocations((_, at) =>
        {
            asked.Add(at);
            return ValidationResult.Fail(ErrorCode.CertificateRevoked, "revoked on chain");
        });
        var candidate = Valid();
        Refuses(new EndorsementRevocationRule(source), candidate, ErrorCode.CertificateRevoked);
        Assert.That(asked.Single(), Is.EqualTo(candidate.Time), "judged at the block's time");
        Accepts(new EndorsementRevocationRule(new StubRevocations((_, _) => ValidationResult.Valid)), candidate);
    }

    [Test]
    public void Composite_validator_answers_with_the_first_refusal_in_order()
    {
        var calls = new List<string>();
        IBlockRule Rule(string name, ErrorCode code) => new LambdaRule(_ =>
        {
            calls.Add(name);
            return code == ErrorCode.Ok ? ValidationResult.Valid : ValidationResult.Fail(code, name);
        });
        var validator = new CompositeBlockValidator([Rule("a", ErrorCode.Ok), Rule("b", ErrorCode.UntimelyProposal), Rule("c", ErrorCode.InvalidBlockHash)]);
        Assert.That(validator.Validate(Valid()).Code, Is.EqualTo(ErrorCode.UntimelyProposal));
        Assert.That(calls, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(new CompositeBlockValidator([Rule("d", ErrorCode.Ok)]).Validate(Valid()).IsValid, Is.True);
    }

    private static BlockCandidate Copy(BlockCandidate c, Hash32? hash = null, ulong? height = null, ChainHead? parent = null) => new()
    {
        Block = c.Block,
        Hash = hash ?? c.Hash,
        Parent = parent ?? c.Parent,
        Height = height ?? c.Height,
        Round = c.Round,
        Reproposal = c.Reproposal,
        Certificate = c.Certificate,
    };

    private static BlockCandidate WithTxs(BlockCandidate c, params byte[][] txs) => new()
    {
        Block = new Block { Header = c.Block.Header, Transactions = txs.Select(t => (ReadOnlyMemory<byte>)t).ToArray(), Receipts = c.Block.Receipts },
        Hash = c.Hash,
        Parent = c.Parent,
        Height = c.Height,
        Round = c.Round,
    };

    private sealed class StubRevocations(Func<byte[], DateTimeOffset, ValidationResult> check) : IRevocationStatus
    {
        public ValidationResult Check(ReadOnlySpan<byte> certificateDer, DateTimeOffset at) => check(certificateDer.ToArray(), at);
    }

    private sealed class LambdaRule(Func<BlockCandidate, ValidationResult> check) : IBlockRule
    {
        public ValidationResult Check(BlockCandidate candidate) => check(candidate);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
