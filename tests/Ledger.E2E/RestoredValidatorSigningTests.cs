using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Issue 14: a validator restored from an old backup must never sign twice. Four real validators; one is backed up, the
/// chain moves on, it is killed and restored from the old backup into its data directory — its signing watermark kept —
/// and started at once. It must learn how far its peers committed before it signs anything, catch up, and then vote
/// again; no node sees an equivocation and the chain has one block per height.
/// </summary>
[NonParallelizable]
public partial class RestoredValidatorSigningTests
{
    [Test]
    public async Task A_validator_restored_from_an_old_backup_signs_only_above_what_its_peers_committed()
    {
        using var devnet = new DevnetFixture(validators: 4);
        const int victim = 2;
        var name = devnet.ValidatorNames[victim];
        var nodes = devnet.ValidatorNames.Select(n => LedgerProcess.Start("node", "--config", devnet.NodeConfig(n))).ToArray();
        try
        {
            for (var i = 0; i < 4; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), nodes[i]);
            var channels = Enumerable.Range(0, 4).Select(i => devnet.Channel(i)).ToArray();
            var clients = channels.Select(devnet.Client).ToArray();
            var acknowledged = new List<string>();
            for (var i = 0; i < 3; i++) acknowledged.Add(await CommitOneAsync(devnet, clients[i % 4]));

            var backup = Path.Combine(devnet.Directory.FullName, "backup");
            var (exit, output) = LedgerProcess.Run("node", "backup", "--config", devnet.NodeConfig(name), "--out", backup);
            Assert.That(exit, Is.Zero, output);
            var backedUp = JsonDocument.Parse(File.ReadAllText(Path.Combine(backup, "manifest.json"))).RootElement.GetProperty("height").GetUInt64();

            // The chain moves on with the victim voting: it signs at heights above the backup.
            while ((await clients[0].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height < backedUp + 4)
                acknowledged.Add(await CommitOneAsync(devnet, clients[acknowledged.Count % 4]));
            var dataDir = Path.Combine(devnet.Directory.FullName, "nodes", name, "data");
            await ConsortiumChecks.UntilAsync(async () => (await clients[victim].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height >= backedUp + 4, TimeSpan.FromSeconds(60),
                "the victim has voted past the backup");
            nodes[victim].Kill();
            var othersAtKill = (await clients[0].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height;
            var watermark = File.ReadAllBytes(Path.Combine(dataDir, "signing.watermark"));

            // Restore over the lost store: the data directory moved away, the watermark kept (docs/operations.md).
            var lost = dataDir + ".lost";
            Directory.Move(dataDir, lost);
            Directory.CreateDirectory(dataDir);
            File.Copy(Path.Combine(lost, "signing.watermark"), Path.Combine(dataDir, "signing.watermark"));
            File.WriteAllText(Path.Combine(dataDir, "stray"), "x");
            (exit, output) = LedgerProcess.Run("node", "restore", "--from", backup, "--config", devnet.NodeConfig(name));
            Assert.That(exit, Is.EqualTo(2), output);
            Assert.That(output.Trim(), Does.Contain("is not empty").And.Contain("keep signing.watermark"), "only the watermark may be there");
            File.Delete(Path.Combine(dataDir, "stray"));
            (exit, output) = LedgerProcess.Run("node", "restore", "--from", backup, "--config", devnet.NodeConfig(name));
            Assert.That(exit, Is.Zero, output);
            Assert.That(File.ReadAllBytes(Path.Combine(dataDir, "signing.watermark")), Is.EqualTo(watermark), "restore leaves the watermark as it was");

            nodes[victim].Dispose();
            nodes[victim] = LedgerProcess.Start("node", "--config", devnet.NodeConfig(name));
            await devnet.WaitHealthyAsync(victim, TimeSpan.FromSeconds(60), nodes[victim]);
            await ConsortiumChecks.Until(() => ReleasedAt().HasValue, TimeSpan.FromSeconds(60), "the restored validator learns its peers' heads");
            Assert.That(ReleasedAt(), Is.GreaterThanOrEqualTo(othersAtKill), "it signs nothing at heights its peers had committed");

            // It catches up, and votes again: blocks with its seal after the restore.
            var before = (await clients[0].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height;
            var sealedByIt = 0UL;
            await ConsortiumChecks.UntilAsync(async () =>
            {
                acknowledged.Add(await CommitOneAsync(devnet, clients[acknowledged.Count % 4]));
                var head = (await clients[victim].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height;
                for (var h = before + 1; h <= head; h++)
                    if (await SealedByAsync(clients[0], h, devnet.ValidatorIds[victim])) sealedByIt = h;
                return sealedByIt > 0;
            }, TimeSpan.FromSeconds(90), "a block sealed by the restored validator");

            await ConsortiumChecks.OneChainWithEveryAcknowledgedTxAsync(clients, acknowledged, TimeSpan.FromSeconds(60));
            using var http = devnet.Transport.Http();
            foreach (var i in Enumerable.Range(0, 4))
                Assert.That((await http.GetStringAsync(new Uri(devnet.HttpAddress(i), "/equivocations"))).Trim(), Is.EqualTo("[]"), $"no equivocation seen by {devnet.ValidatorNames[i]}");
            TestContext.Out.WriteLine($"backup at {backedUp}, killed with the others at {othersAtKill}, released at {ReleasedAt()}, first seal after restore at {sealedByIt}");
            foreach (var channel in channels) channel.Dispose();
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }

        ulong? ReleasedAt() => Released().Match(nodes[victim].Output) is { Success: true } m ? ulong.Parse(m.Groups[1].Value) : null;
    }

    [GeneratedRegex(@"Signing released: the peers committed up to height (\d+)")]
    private static partial Regex Released();

    private static async Task<bool> SealedByAsync(Rpc.LedgerService.LedgerServiceClient client, ulong height, Core.Hash32 validator)
    {
        var block = await client.GetBlockAsync(new Rpc.GetBlockRequest { Height = height });
        return Rpc.CommitCertificate.Parser.ParseFrom(block.Commit).Seals.Any(s => s.Validator.Span.SequenceEqual(validator.ToArray()));
    }

    private static async Task<string> CommitOneAsync(DevnetFixture devnet, Rpc.LedgerService.LedgerServiceClient client)
    {
        var (envelope, _) = devnet.NewRegistration();
        var submitted = await client.SubmitAsync(DevnetFixture.Submit(envelope));
        var committed = await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 30_000 });
        Assert.That(committed.ReceiptCode, Is.Zero);
        return Convert.ToHexStringLower(submitted.TxId.Span);
    }
}
