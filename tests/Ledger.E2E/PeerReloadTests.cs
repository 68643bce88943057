using System.Text.Json.Nodes;
using Grpc.Core;
using Ledger.Client;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// A validator whose config does not list a peer cannot send it anything; after its config names the peer and it gets
/// SIGHUP (<c>systemctl reload ledger-node</c>), it dials the peer without a restart and the chain commits. A reload of a
/// broken config is refused in one log line and the node runs on.
/// </summary>
[NonParallelizable]
public class PeerReloadTests
{
    [Test]
    public async Task A_validator_dials_a_peer_its_reloaded_config_names_without_a_restart()
    {
        using var devnet = new DevnetFixture(validators: 2);
        var first = devnet.NodeConfig(devnet.ValidatorNames[0]);
        var original = File.ReadAllText(first);
        var json = JsonNode.Parse(original)!.AsObject();
        json["peers"] = new JsonArray();
        File.WriteAllText(first, json.ToJsonString());

        // SIGHUP at its default disposition, as systemd gives a service (the test run itself may be under nohup).
        var nodes = devnet.ValidatorNames.Select(name => LedgerProcess.StartWithDefaultSighup("node", "--config", devnet.NodeConfig(name))).ToList();
        try
        {
            for (var i = 0; i < nodes.Count; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), nodes[i]);
            using var client = devnet.Connect(1);
            var (envelope, _) = devnet.NewRegistration();
            var txId = await client.SubmitAsync(envelope);
            // Two validators need both: the first hears the second but cannot answer it, so nothing commits.
            var stalled = await Assert.ThrowsAsync<LedgerClientException>(() => client.WaitForCommitAsync(txId, TimeSpan.FromSeconds(4)));
            Assert.That(stalled!.Status, Is.EqualTo(StatusCode.DeadlineExceeded));

            // A broken config: refused, the node runs on.
            File.WriteAllText(first, "{ not json");
            await SignalUntil(nodes[0], "refused, the node runs on as before", "the broken reload is refused");
            Assert.That(nodes[0].HasExited, Is.False);

            File.WriteAllText(first, original);
            await SignalUntil(nodes[0], $"peers added: {devnet.ValidatorNames[1]}", "the reload adds the peer");
            var committed = await client.WaitForCommitAsync(txId, TimeSpan.FromSeconds(60));
            Assert.That(committed.Succeeded, Is.True, committed.Receipt.Message);
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }

    private static void Signal(LedgerProcess process)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-HUP", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.That(kill.ExitCode, Is.Zero);
    }

    /// <summary>
    /// Sends SIGHUP until the node's output says <paramref name="expected"/>: a loaded machine may run the handler late, and a
    /// repeated reload is harmless (it adds nothing twice).
    /// </summary>
    private static async Task SignalUntil(LedgerProcess process, string expected, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.That(process.HasExited, Is.False, process.Output);
            Signal(process);
            var again = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < again)
            {
                if (process.Output.Contains(expected, StringComparison.Ordinal)) return;
                await Task.Delay(100);
            }
        }
        Assert.Fail($"timed out waiting: {what}\n{process.Output}");
    }
}
