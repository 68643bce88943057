using Ledger.Chain.Pool;
using Ledger.Core;
using Ledger.TestKit;
using Ledger.TestKit.Network;

namespace Ledger.Chain.Tests;

/// <summary>The pool is bounded by what the chain commits in its window, and a full pool says when to come back.</summary>
public class MempoolWindowTests
{
    private static readonly TestConsortium Consortium = new();
    private int _contract;

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_capacity_is_the_recent_commit_rate_times_the_window_never_below_the_floor()
    {
        var clock = new StoppedClock(T0);
        var pool = new Mempool(new MempoolOptions { CommitWindowSeconds = 10, MinPendingTransactions = 50, MaxTransactions = 1_000 }, clock);
        Assert.That(pool.Capacity(), Is.EqualTo(50), "nothing committed yet: the floor");

        pool.RecordCommitted(40);
        clock.Now = T0.AddSeconds(2);
        Assert.That(pool.CommitTxPerSecond, Is.EqualTo(20).Within(1e-9));
        Assert.That(pool.Capacity(), Is.EqualTo(200));
        Assert.That(pool.Capacity(fromPeer: true), Is.EqualTo(400), "gossip from peers may fill the window twice");

        pool.RecordCommitted(1_000);
        Assert.That(pool.Capacity(), Is.EqualTo(1_000), "never above the fixed cap");

        clock.Now = T0.AddSeconds(2 + 61);
        Assert.That(pool.CommitTxPerSecond, Is.Zero, "a chain that committed nothing for a minute has no rate");
        Assert.That(pool.Capacity(), Is.EqualTo(50));
    }

    [Test]
    public void A_full_window_refuses_before_admission_with_a_hint_then_takes_txs_again_after_a_block()
    {
        using var chain = new SoloChain(Consortium, new MempoolOptions { MinPendingTransactions = 3, CommitWindowSeconds = 10 });
        for (var i = 0; i < 3; i++) Assert.That(chain.Submit(Register()).Accepted, Is.True);

        var refused = chain.Submit(Register());

        Assert.That(refused.Result.Code, Is.EqualTo(ErrorCode.MempoolFull));
        Assert.That(refused.TxId, Is.Null, "refused before admission spent signature checks on it");
        Assert.That(refused.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7.5)), "no commit rate yet: a quarter of the longest hint");
        Assert.That(refused.Result.Reason, Does.Contain("commits in 10 s"));
        Assert.That(chain.Chain.Pool.Count, Is.EqualTo(3));

        chain.Producer.ProduceBlock();
        var again = chain.Submit(Register());
        Assert.That(again.Accepted, Is.True, "room again after a block");
        Assert.That(again.RetryAfter, Is.Null);
    }

    [Test]
    public void The_hint_is_the_time_the_chain_needs_to_make_room_at_its_rate()
    {
        var clock = new StoppedClock(T0);
        var options = new MempoolOptions { CommitWindowSeconds = 10, MinPendingTransactions = 10, MinRetryAfter = TimeSpan.FromMilliseconds(250), MaxRetryAfter = TimeSpan.FromSeconds(30) };
        var pool = new Mempool(options, clock);
        pool.RecordCommitted(100);
        clock.Now = T0.AddSeconds(10); // 10 tx/s: capacity 100
        Assert.That(pool.Capacity(), Is.EqualTo(100));
        // 120 pooled: 21 over, plus a tenth of the capacity, at 10 tx/s.
        Assert.That(pool.RetryAfter(120, 100), Is.EqualTo(TimeSpan.FromSeconds(3.1)));
        Assert.That(pool.RetryAfter(100_000, 100), Is.EqualTo(TimeSpan.FromSeconds(30)), "bounded");
        Assert.That(pool.RetryAfter(100, 100), Is.EqualTo(TimeSpan.FromSeconds(1.1)));
    }

    private Core.Transactions.TxEnvelope Register()
    {
        var payload = Consortium.Register($"GZ-W-{TestContext.CurrentContext.Test.ID}-{_contract++}", Ledger.Crypto.Sm3.Hash([(byte)_contract]));
        return Consortium.Transaction(payload, Consortium.Employer, [Consortium.Employer]);
    }
}
