using Grpc.Net.Client;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>The guangdong preset — the province and its 21 cities, 22 validator processes — commits blocks on this machine.</summary>
[NonParallelizable]
[Category("Long")]
public class GuangdongPresetTests
{
    [Test]
    public async Task Twenty_two_validators_commit_blocks()
    {
        using var devnet = new DevnetFixture(validators: 22, preset: "guangdong");
        var nodes = devnet.ValidatorNames.Select(name => LedgerProcess.Start("node", "--config", devnet.NodeConfig(name))).ToArray();
        try
        {
            for (var i = 0; i < nodes.Length; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(180), nodes[i]);
            using var channel = devnet.Channel(0);
            var client = devnet.Client(channel);
            var committed = new List<Rpc.CommittedTransaction>();
            for (var i = 0; i < 5; i++)
            {
                var (envelope, _) = devnet.NewRegistration();
                var submitted = await client.SubmitAsync(DevnetFixture.Submit(envelope));
                committed.Add(await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 120_000 }));
            }
            Assert.That(committed.All(c => c.ReceiptCode == 0), Is.True);
            var height = committed.Max(c => c.Height);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            for (var i = 0; i < nodes.Length; i++)
            {
                using var nodeChannel = devnet.Channel(i);
                var nodeClient = devnet.Client(nodeChannel);
                while ((await nodeClient.GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height < height)
                {
                    Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"{devnet.ValidatorNames[i]} did not reach height {height}");
                    await Task.Delay(500);
                }
                var block = await nodeClient.GetBlockAsync(new Rpc.GetBlockRequest { Height = height });
                Assert.That(Core.Blocks.Block.Decode(block.Block.Span).Commit!.Seals, Has.Count.GreaterThanOrEqualTo(Core.Blocks.ValidatorSet.Quorum(22)));
            }
            TestContext.Out.WriteLine($"22 validators at height {height}");
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }
}
