using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// ARCHITECTURE §9 / issue 4 item 7: a node killed with SIGKILL at random moments under load loses no
/// block it acknowledged and restarts cleanly, every time.
/// </summary>
[NonParallelizable]
public class CrashSafetyTests
{
    [Test]
    public Task Sigkill_under_load_loses_no_acknowledged_tx_short() => RunAsync(kills: 6, seed: 1);

    [Test]
    [Category("Long")]
    public Task Sigkill_under_load_loses_no_acknowledged_tx_long() => RunAsync(kills: 40, seed: 2);

    private static async Task RunAsync(int kills, int seed)
    {
        using var devnet = new DevnetFixture();
        var random = new Random(seed);
        var acknowledged = new ConcurrentDictionary<string, ulong>(); // tx id hex → height the node reported
        ulong lastHeight = 0;

        for (var round = 0; round < kills; round++)
        {
            using var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig());
            await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
            using var channel = devnet.Channel();
            var client = devnet.Client(channel);

            // Everything acknowledged before the previous kill is still there, in the same block.
            var info = await client.GetChainInfoAsync(new Rpc.GetChainInfoRequest());
            Assert.That(info.Height, Is.GreaterThanOrEqualTo(lastHeight), $"round {round}: the chain went backwards");
            foreach (var (txId, height) in acknowledged)
            {
                var tx = await client.GetTransactionAsync(new Rpc.GetTransactionRequest { TxId = ByteString.CopyFrom(Convert.FromHexString(txId)) });
                Assert.That(tx.Height, Is.EqualTo(height), $"round {round}: tx {txId} moved or vanished");
            }

            using var load = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
            {
                while (!load.IsCancellationRequested)
                {
                    var (envelope, _) = devnet.NewRegistration();
                    try
                    {
                        var submitted = await client.SubmitAsync(DevnetFixture.Submit(envelope), cancellationToken: load.Token);
                        var committed = await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 10_000 }, cancellationToken: load.Token);
                        acknowledged[Convert.ToHexStringLower(committed.TxId.Span)] = committed.Height;
                    }
                    catch (RpcException)
                    {
                        // The node died mid-call: nothing was acknowledged.
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            })).ToArray();

            await Task.Delay(random.Next(300, 1500));
            node.Kill();
            await load.CancelAsync();
            await Task.WhenAll(workers);
            lastHeight = acknowledged.IsEmpty ? lastHeight : Math.Max(lastHeight, acknowledged.Values.Max());
        }

        // A final clean start: all acknowledged txs are there, and the node still commits new ones.
        using var last = LedgerProcess.Start("node", "--config", devnet.NodeConfig());
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), last);
        using var finalChannel = devnet.Channel();
        var finalClient = devnet.Client(finalChannel);
        foreach (var (txId, height) in acknowledged)
        {
            var tx = await finalClient.GetTransactionAsync(new Rpc.GetTransactionRequest { TxId = ByteString.CopyFrom(Convert.FromHexString(txId)) });
            Assert.That(tx.Height, Is.EqualTo(height));
        }
        var (fresh, _) = devnet.NewRegistration();
        var id = await finalClient.SubmitAsync(DevnetFixture.Submit(fresh));
        var done = await finalClient.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = id.TxId, TimeoutMs = 10_000 });
        Assert.That(done.ReceiptCode, Is.Zero, done.ReceiptMessage);
        Assert.That(acknowledged.Count, Is.GreaterThan(kills), "the load did get txs acknowledged between kills");
        TestContext.Out.WriteLine($"{kills} kills, {acknowledged.Count} acknowledged txs, all present; final height {done.Height}");
    }
}
