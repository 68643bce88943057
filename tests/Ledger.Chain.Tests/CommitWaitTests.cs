using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.TestKit.Network;

namespace Ledger.Chain.Tests;

public class CommitWaitTests
{
    private static readonly TestConsortium Consortium = new();
    private static int _contract;

    private static TxEnvelope Register()
    {
        var n = Interlocked.Increment(ref _contract);
        return Consortium.Transaction(Consortium.Register($"GZ-WAIT-{n}", Sm3.Hash([(byte)n, (byte)(n >> 8)])), Consortium.Employer, [Consortium.Employer]);
    }

    [Test]
    public async Task A_waiter_that_times_out_does_not_take_the_commit_away_from_concurrent_waiters()
    {
        using var chain = new SoloChain(Consortium);
        var envelope = Register();
        var txId = chain.Submit(envelope).TxId!.Value;

        // Many waiters at once: half give up quickly, half wait on. The quick ones leave before the block commits.
        var quitters = Enumerable.Range(0, 16).Select(async _ =>
        {
            using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
            return await chain.Chain.WaitForCommitAsync(txId, soon.Token);
        }).ToArray();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stayers = Enumerable.Range(0, 16).Select(_ => Task.Run(() => chain.Chain.WaitForCommitAsync(txId, patience.Token))).ToArray();
        Assert.That(await Task.WhenAll(quitters), Has.All.Null, "the quick waiters time out before the commit");

        Assert.That(chain.Producer.ProduceBlock(), Is.Not.Null);

        var seen = await Task.WhenAll(stayers);
        Assert.That(seen, Has.All.Not.Null, "every waiter still waiting when the block commits sees it");
        Assert.That(seen.Select(t => t!.TxId), Has.All.EqualTo(txId));
    }

    [Test]
    public async Task Each_registration_is_woken_and_a_disposed_one_is_removed_alone()
    {
        var notifier = new CommitNotifier();
        var txId = Sm3.Hash([1, 2, 3]);
        var first = notifier.TransactionCommitted(txId);
        var second = notifier.TransactionCommitted(txId);
        var third = notifier.TransactionCommitted(txId);
        Assert.That(notifier.Waiting, Is.EqualTo(3));

        second.Dispose();
        Assert.That(notifier.Waiting, Is.EqualTo(2), "only the disposed waiter leaves");
        notifier.Committed(7, [Sm3.Hash([9]), txId]);

        Assert.That((await first.Task.WaitAsync(TimeSpan.FromSeconds(30))).Height, Is.EqualTo(7UL));
        Assert.That((await third.Task.WaitAsync(TimeSpan.FromSeconds(30))).Index, Is.EqualTo(1));
        Assert.That(second.Task.IsCompleted, Is.False, "a waiter that left is not woken");
        Assert.That(notifier.Waiting, Is.Zero, "a commit releases every registration of its txs");
        first.Dispose();
        Assert.That(notifier.Waiting, Is.Zero);
    }

    [Test]
    public async Task Waiters_that_time_out_leave_no_registration_behind()
    {
        using var chain = new SoloChain(Consortium);
        var txId = chain.Submit(Register()).TxId!.Value;
        var waits = Enumerable.Range(0, 50).Select(async _ =>
        {
            using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(10));
            return await chain.Chain.WaitForCommitAsync(txId, soon.Token);
        });
        Assert.That(await Task.WhenAll(waits), Has.All.Null);
        Assert.That(chain.Chain.WaitingForCommit, Is.Zero);
    }
}
