using Ledger.Consensus.Messages;
using Ledger.Consensus.Wal;

namespace Ledger.Consensus.Tests.StateMachine;

/// <summary>After a restart from its WAL a validator re-sends what it signed and never signs anything conflicting.</summary>
public class WalRestartTests
{
    [Test]
    public void Restart_resends_the_identical_prepare_and_refuses_to_prepare_another_block()
    {
        var h = RoundFlowTests.NotProposer(1, 0);
        h.Start();
        var proposer = h.ProposerOf(1, 0);
        var a = h.Block(1, 0, "a");
        h.Receive(h.Make.Proposal(proposer, 1, 0, a));
        var before = h.Sent(MessageType.Prepare).Single();

        h.Restart();
        h.Start();
        Assert.That(h.Sent(MessageType.Prepare).Single().Bytes, Is.EqualTo(before.Bytes), "the same signed bytes, re-sent");

        var b = h.Block(1, 0, "b"); // an equivocating proposer's second block for the same round
        h.Receive(h.Make.Proposal(proposer, 1, 0, b));
        foreach (var v in h.Others()) h.Receive(h.Make.Prepare(v, 1, 0, b.Hash));

        Assert.That(h.Transport.Broadcasts.Where(m => m.Payload.Digest == b.Hash), Is.Empty, "no prepare or commit for the other block");
        Assert.That(h.Dropped(Ledger.Core.ErrorCode.ConflictingSignatureRefused), Is.EqualTo(1));
    }

    [Test]
    public void Restarted_proposer_resends_its_proposal_instead_of_building_another()
    {
        var h = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 0));
        h.Start();
        var first = h.Sent(MessageType.Proposal).Single();

        h.Chain.Submit("a-tx-that-arrived-meanwhile"); // a fresh block would differ
        h.Restart();
        h.Start();

        Assert.That(h.Sent(MessageType.Proposal).Single().Bytes, Is.EqualTo(first.Bytes));
        Assert.That(h.Wal.ReadAll().Count(r => r.Message?.Type == MessageType.Proposal), Is.EqualTo(1));
    }

    [Test]
    public void Restart_resumes_the_round_it_reached_and_remembers_its_prepared_certificate()
    {
        var h = RoundFlowTests.NotProposer(1, 0);
        h.Start();
        var proposer = h.ProposerOf(1, 0);
        var block = h.Block(1, 0);
        h.Receive(h.Make.Proposal(proposer, 1, 0, block));
        foreach (var v in h.Others().Take(2)) h.Receive(h.Make.Prepare(v, 1, 0, block.Hash));
        h.Timeout(1, 0);
        h.Timeout(1, 1);

        h.Restart();
        h.Start();
        Assert.That(h.Engine.Round, Is.EqualTo(2U));
        Assert.That(h.Timeouts.Scheduled.Single(), Is.EqualTo((1UL, 2U, 4 * EngineHarness.BaseTimeout)));

        h.Timeout(1, 2);
        var rc = h.Sent(MessageType.RoundChange).Single(m => m.Round == 3);
        Assert.That((rc.Payload.PreparedRound, rc.Payload.PreparedDigest), Is.EqualTo((0U, (Ledger.Core.Hash32?)block.Hash)));
        Assert.That(rc.Prepares, Has.Count.EqualTo(3));
    }

    [Test]
    public void Restart_after_a_commit_never_commits_another_block_in_that_round()
    {
        var h = RoundFlowTests.NotProposer(1, 0);
        h.Start();
        var proposer = h.ProposerOf(1, 0);
        var a = h.Block(1, 0, "a");
        h.Receive(h.Make.Proposal(proposer, 1, 0, a));
        foreach (var v in h.Others()) h.Receive(h.Make.Prepare(v, 1, 0, a.Hash));
        var commit = h.Sent(MessageType.Commit).Single();

        h.Restart();
        h.Start();
        Assert.That(h.Sent(MessageType.Commit).Single().Bytes, Is.EqualTo(commit.Bytes));
        var b = h.Block(1, 0, "b");
        h.Receive(h.Make.Proposal(proposer, 1, 0, b));
        foreach (var v in h.Others()) h.Receive(h.Make.Prepare(v, 1, 0, b.Hash));
        foreach (var v in h.Others()) h.Receive(h.Make.Commit(v, 1, 0, b.Hash));

        Assert.That(h.Sent(MessageType.Commit).Select(m => m.Payload.Digest), Is.All.EqualTo(a.Hash));
        Assert.That(h.Wal.ReadAll().Where(r => r.Kind == WalRecordKind.OwnMessage).Select(r => r.Message!.Payload.Digest), Has.None.EqualTo(b.Hash));
    }

    [Test]
    public void Nothing_is_sent_when_the_wal_append_fails()
    {
        var wal = new ThrowingWal();
        var h = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 0), new Fakes.InMemoryWal());
        var engine = new QbftEngine(new ConsensusOptions { ChainId = EngineHarness.ChainId }, new ConsensusPorts
        {
            Transport = h.Transport, Timeouts = h.Timeouts, Proposer = h.Chain, ProposalValidator = h.Chain, Committer = h.Chain,
            Signer = h.Keys.SignerFor(h.Keys.Validators[h.Me]), Keys = h.Keys, Wal = wal,
        });
        Assert.Throws<IOException>(() => engine.Handle(new Events.NewHeight(1)));
        Assert.That(h.Transport.Broadcasts, Is.Empty);
    }

    private sealed class ThrowingWal : Ports.IConsensusWal
    {
        public void Append(WalRecord record) => throw new IOException("disk full");

        public IReadOnlyList<WalRecord> ReadAll() => [];
    }
}
