using System.Text.Json.Nodes;
using Grpc.Core;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// A real validator process whose pool is full refuses submissions with RESOURCE_EXHAUSTED and a retry hint
/// (google.rpc.RetryInfo) instead of queueing them, and the SDK, honouring the hint, gets every tx committed.
/// </summary>
[NonParallelizable]
public class BackpressureTests
{
    [Test, CancelAfter(120_000)]
    public async Task A_full_pool_refuses_with_a_retry_hint_and_the_SDK_gets_every_tx_committed()
    {
        using var devnet = new DevnetFixture(validators: 1);
        var path = devnet.NodeConfig();
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        // A pool of two txs: a burst of forty must meet it full, whatever the machine's speed.
        config["mempool"] = new JsonObject { ["maxTransactions"] = 2, ["commitWindowSeconds"] = 0 };
        await File.WriteAllTextAsync(path, config.ToJsonString());
        using var node = LedgerProcess.Start("node", "--config", path);
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);

        using var channel = devnet.Channel(0);
        var raw = devnet.Client(channel);
        var burst = Enumerable.Range(0, 40).Select(_ => devnet.NewRegistration().Envelope).ToArray();
        var refusals = new List<RpcException>();
        await Task.WhenAll(burst.Select(async envelope =>
        {
            try
            {
                await raw.SubmitAsync(DevnetFixture.Submit(envelope));
            }
            catch (RpcException e)
            {
                lock (refusals) refusals.Add(e);
            }
        }));
        Assert.That(refusals, Is.Not.Empty, "forty at once into a pool of two");
        Assert.That(refusals.Select(e => e.StatusCode).Distinct(), Is.EqualTo(new[] { StatusCode.ResourceExhausted }));
        Assert.That(refusals.All(e => Ledger.Client.LedgerClient.RetryAfterOf(e) is { } hint && hint > TimeSpan.Zero && hint <= TimeSpan.FromSeconds(30)), Is.True,
            "every refusal says when to come back");

        using var sdk = devnet.Connect(0);
        var ids = new List<Core.Hash32>();
        foreach (var chunk in Enumerable.Range(0, 20).Select(_ => devnet.NewRegistration().Envelope).Chunk(20))
            ids.AddRange(await Task.WhenAll(chunk.Select(e => sdk.SubmitAsync(e))));
        var committed = await Task.WhenAll(ids.Select(id => sdk.WaitForCommitAsync(id, TimeSpan.FromSeconds(60))));
        Assert.That(committed.All(c => c.Succeeded), Is.True);
        Assert.That(sdk.SubmitRetries, Is.GreaterThan(0), "the SDK met the full pool and waited its hints");
        TestContext.Out.WriteLine($"{refusals.Count} of 40 refused with a hint; the SDK committed 20 with {sdk.SubmitRetries} retries");
    }
}
