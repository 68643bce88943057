using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// ARCHITECTURE §9, issue 4 item 7 and issue 16: a node killed with SIGKILL under load — right after it answered OK
/// to a Submit — loses no tx it acknowledged (a tx counts as acknowledged when Submit returns OK, not when it
/// commits), moves no committed tx, and restarts cleanly, every time.
/// </summary>
[NonParallelizable]
public class CrashSafetyTests
{
    [Test]
    public Task Sigkill_right_after_an_acknowledged_submit_loses_no_acknowledged_tx_short() => RunAsync(kills: 5, seed: 1);

    [Test]
    [Category("Long")]
    public Task Sigkill_right_after_an_acknowledged_submit_loses_no_acknowledged_tx_long() => RunAsync(kills: 40, seed: 2);

    private static async Task RunAsync(int kills, int seed)
    {
        using var devnet = new DevnetFixture();
        var random = new Random(seed);
        var acknowledged = new ConcurrentDictionary<string, byte>(); // tx ids Submit answered OK for
        var committedAt = new Dictionary<string, ulong>();             // tx id → height, once seen committed
        var killedRightAfterOk = 0;

        for (var round = 0; round <= kills; round++)
        {
            using var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig());
            await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
            using var channel = devnet.Channel();
            var client = devnet.Client(channel);

            // Every tx acknowledged before any kill commits after the restart, and none moved.
            await AllCommittedAsync(client, acknowledged.Keys, committedAt, round);
            if (round == kills) break;

            using var load = new CancellationTokenSource();
            var armed = 0;
            var workers = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
            {
                while (!load.IsCancellationRequested)
                {
                    var (envelope, _) = devnet.NewRegistration();
                    try
                    {
                        var submitted = await client.SubmitAsync(DevnetFixture.Submit(envelope), cancellationToken: load.Token);
                        acknowledged[Convert.ToHexStringLower(submitted.TxId.Span)] = 0;
                        // The kill follows the OK at once: its gossip, its block, its commit are all still ahead.
                        if (Interlocked.CompareExchange(ref armed, 2, 1) == 1)
                        {
                            node.Kill();
                            Interlocked.Increment(ref killedRightAfterOk);
                        }
                    }
                    catch (RpcException)
                    {
                        // Refused, or the node died mid-call: not acknowledged.
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            })).ToArray();

            var before = acknowledged.Count;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            var target = before + random.Next(20, 400);
            while (acknowledged.Count < target && DateTime.UtcNow < deadline && !node.HasExited) await Task.Delay(10);
            Assert.That(acknowledged.Count, Is.GreaterThan(before), $"round {round}: the node acknowledges txs under load");
            Interlocked.Exchange(ref armed, 1);
            deadline = DateTime.UtcNow.AddSeconds(60);
            while (!node.HasExited && DateTime.UtcNow < deadline) await Task.Delay(10);
            node.Kill(); // in case no OK came after arming
            await load.CancelAsync();
            await Task.WhenAll(workers);
        }

        Assert.That(killedRightAfterOk, Is.EqualTo(kills), "every kill came right after an OK");
        Assert.That(acknowledged.Count, Is.GreaterThan(kills * 20));
        TestContext.Out.WriteLine($"{kills} kills right after an OK, {acknowledged.Count} acknowledged txs, all committed");
    }

    /// <summary>Waits (generously) for each acknowledged tx to commit; a tx seen committed before must not move.</summary>
    private static async Task AllCommittedAsync(Rpc.LedgerService.LedgerServiceClient client, ICollection<string> acknowledged, Dictionary<string, ulong> committedAt, int round)
    {
        using var limit = new SemaphoreSlim(48); // below Kestrel's 100 concurrent streams per connection
        var results = await Task.WhenAll(acknowledged.ToArray().Select(async txId =>
        {
            await limit.WaitAsync();
            try
            {
                var committed = await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = ByteString.CopyFrom(Convert.FromHexString(txId)), TimeoutMs = 60_000 });
                return (TxId: txId, Height: (ulong?)committed.Height, Error: (string?)null);
            }
            catch (RpcException e)
            {
                return (TxId: txId, Height: (ulong?)null, Error: e.Status.ToString());
            }
            finally
            {
                limit.Release();
            }
        }));
        var lost = results.Where(r => r.Height is null).ToArray();
        Assert.That(lost, Is.Empty, $"round {round}: {lost.Length} of {results.Length} acknowledged txs never committed, e.g. {lost.FirstOrDefault()}");
        foreach (var (txId, height, _) in results)
        {
            if (committedAt.TryGetValue(txId, out var earlier)) Assert.That(height, Is.EqualTo(earlier), $"round {round}: tx {txId} moved");
            else committedAt[txId] = height!.Value;
        }
    }
}
