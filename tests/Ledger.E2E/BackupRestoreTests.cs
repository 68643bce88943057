using System.Collections.Concurrent;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Ledger.Node.Admin;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Issue 14 (operations): <c>ledger node backup</c> of a running node under load and <c>ledger node restore</c> into a
/// fresh directory, through real processes. The short form runs one validator and checks every refusal; the long form
/// runs four, destroys a validator's data after its backup and shows the restored node catching up with no fork and
/// no acknowledged tx lost.
/// </summary>
[NonParallelizable]
public class BackupRestoreTests
{
    [Test]
    public async Task An_online_backup_restores_into_a_fresh_directory_and_damaged_or_unsigned_requests_are_refused()
    {
        using var devnet = new DevnetFixture();
        var config = devnet.NodeConfig();
        var node = LedgerProcess.Start("node", "--config", config);
        try
        {
            await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
            using var channel = devnet.Channel();
            var client = devnet.Client(channel);
            var committed = new List<ByteString>();
            for (var i = 0; i < 5; i++) committed.Add(await CommitOneAsync(devnet, client));

            // Load keeps going while the backup runs: the snapshot is of one committed block all the same.
            using var load = new CancellationTokenSource();
            var loader = KeepCommittingAsync(devnet, client, load.Token);

            // Only the node's own key may ask: no signature, or the employer's signature, is 401 with one line.
            using var http = devnet.Transport.Http();
            var anonymous = await http.PostAsync(new Uri(devnet.HttpAddress(0), AdminEndpoints.BackupPath), null);
            Assert.That((int)anonymous.StatusCode, Is.EqualTo(401));
            var (request, signature) = AdminRequest.Create(AdminEndpoints.BackupAction, devnet.ChainId, "guangdong", DateTimeOffset.UtcNow).Sign(devnet.Employer.Key);
            using var forged = new HttpRequestMessage(HttpMethod.Post, new Uri(devnet.HttpAddress(0), AdminEndpoints.BackupPath));
            forged.Headers.Add(AdminRequest.RequestHeader, request);
            forged.Headers.Add(AdminRequest.SignatureHeader, signature);
            var refused = await http.SendAsync(forged);
            Assert.That((int)refused.StatusCode, Is.EqualTo(401));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("not by this node's key"));

            var backup = Path.Combine(devnet.Directory.FullName, "backup");
            var (exit, output) = LedgerProcess.Run("node", "backup", "--config", config, "--out", backup, "--include-keys");
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain("backed up guangdong at height"));
            var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(backup, "manifest.json"))).RootElement;
            var height = manifest.GetProperty("height").GetUInt64();
            Assert.That(height, Is.GreaterThanOrEqualTo(5UL), "the backup holds the blocks committed before it");
            Assert.That(manifest.GetProperty("includesKeys").GetBoolean(), Is.True);
            // A backup never holds the passphrase; without --include-keys, no key either.
            Assert.That(File.Exists(Path.Combine(backup, "config", "passphrase")), Is.False);
            var (noKeysExit, noKeysOutput) = LedgerProcess.Run("node", "backup", "--config", config, "--out", Path.Combine(devnet.Directory.FullName, "backup-nokeys"));
            Assert.That(noKeysExit, Is.Zero, noKeysOutput);
            Assert.That(Directory.EnumerateFiles(Path.Combine(devnet.Directory.FullName, "backup-nokeys", "config")).Select(Path.GetFileName),
                Has.None.EqualTo("node.key").And.None.EqualTo("tls.key"));

            await load.CancelAsync();
            await loader;

            // A fresh directory, as on a new machine: the backup's config/, and the passphrase from the operator.
            var fresh = Path.Combine(devnet.Directory.FullName, "fresh");
            Directory.CreateDirectory(fresh);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(backup, "config"))) File.Copy(file, Path.Combine(fresh, Path.GetFileName(file)));
            File.Copy(Path.Combine(devnet.Directory.FullName, "passphrase"), Path.Combine(fresh, "passphrase"));
            var freshConfig = Path.Combine(fresh, "config.json");

            // A damaged store, a manifest edited after signing, a missing signature: refused in one line, exit 1, nothing restored.
            AssertRefused(Damage(backup, "damaged", d => FlipByte(Path.Combine(d, "data", "ledger.db"), 20_000)), freshConfig, "SM3");
            AssertRefused(Damage(backup, "edited", d => File.WriteAllText(Path.Combine(d, "manifest.json"),
                File.ReadAllText(Path.Combine(d, "manifest.json")).Replace($"\"height\": {height}", $"\"height\": {height + 1}"))), freshConfig, "not signed by guangdong's key");
            AssertRefused(Damage(backup, "unsigned", d => File.Delete(Path.Combine(d, "manifest.sig"))), freshConfig, "manifest.sig is missing");
            AssertRefused(Damage(backup, "truncated", d => File.Delete(Path.Combine(d, "config", "genesis.json"))), freshConfig, "config/genesis.json is missing");

            // The original node stops; the restored copy starts from the fresh directory with the same identity.
            Assert.That(node.Stop(TimeSpan.FromSeconds(30)), Is.Zero, node.Output);
            (exit, output) = LedgerProcess.Run("node", "restore", "--from", backup, "--config", freshConfig);
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain($"restored guangdong at height {height}"));
            // Restoring twice is refused: the data directory is no longer empty.
            (exit, output) = LedgerProcess.Run("node", "restore", "--from", backup, "--config", freshConfig);
            Assert.That(exit, Is.EqualTo(2), output);
            Assert.That(output.Trim(), Does.StartWith("ledger: the data directory").And.Contain("is not empty"));
            Assert.That(output.Trim().Split('\n'), Has.Length.EqualTo(1));

            node.Dispose();
            node = LedgerProcess.Start("node", "--config", freshConfig);
            await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
            using var restoredChannel = devnet.Channel();
            var restored = devnet.Client(restoredChannel);
            var info = await restored.GetChainInfoAsync(new Rpc.GetChainInfoRequest());
            Assert.That(info.Height, Is.GreaterThanOrEqualTo(height));
            Assert.That(Convert.ToHexStringLower((await restored.GetBlockAsync(new Rpc.GetBlockRequest { Height = height })).BlockHash.Span), Is.EqualTo(manifest.GetProperty("blockHash").GetString()));
            foreach (var tx in committed)
                Assert.That((await restored.GetTransactionAsync(new Rpc.GetTransactionRequest { TxId = tx })).Height, Is.GreaterThan(0UL));
            // And it goes on committing.
            await CommitOneAsync(devnet, restored);
        }
        finally
        {
            node.Dispose();
        }
    }

    [Test]
    public async Task A_rocksdb_node_is_backed_up_online_as_a_checkpoint_and_restored_only_under_a_rocksdb_config()
    {
        using var devnet = new DevnetFixture();
        var config = devnet.NodeConfig();
        SetStore(config, "rocksdb");
        var node = LedgerProcess.Start("node", "--config", config);
        try
        {
            await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
            using var channel = devnet.Channel();
            var client = devnet.Client(channel);
            var committed = new List<ByteString>();
            for (var i = 0; i < 5; i++) committed.Add(await CommitOneAsync(devnet, client));

            using var load = new CancellationTokenSource();
            var loader = KeepCommittingAsync(devnet, client, load.Token);
            var backup = Path.Combine(devnet.Directory.FullName, "backup");
            var (exit, output) = LedgerProcess.Run("node", "backup", "--config", config, "--out", backup, "--include-keys");
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain("(rocksdb)").And.Contain("backed up guangdong at height"));
            await load.CancelAsync();
            await loader;
            var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(backup, "manifest.json"))).RootElement;
            Assert.That(manifest.GetProperty("store").GetString(), Is.EqualTo("rocksdb"));
            var height = manifest.GetProperty("height").GetUInt64();
            Assert.That(Directory.EnumerateFiles(Path.Combine(backup, "data", "ledger.rocksdb"), "*.sst").Count() +
                        Directory.EnumerateFiles(Path.Combine(backup, "data", "ledger.rocksdb"), "*.log").Count(), Is.GreaterThan(0));
            var dataDir = Path.Combine(Path.GetDirectoryName(config)!, "data");
            Assert.That(Directory.EnumerateDirectories(dataDir, "backup-*.rocksdb"), Is.Empty, "the node deleted its checkpoint");

            var fresh = Path.Combine(devnet.Directory.FullName, "fresh");
            Directory.CreateDirectory(fresh);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(backup, "config"))) File.Copy(file, Path.Combine(fresh, Path.GetFileName(file)));
            File.Copy(Path.Combine(devnet.Directory.FullName, "passphrase"), Path.Combine(fresh, "passphrase"));
            var freshConfig = Path.Combine(fresh, "config.json");

            // Under a config of the other engine: refused in one line, nothing left behind.
            SetStore(freshConfig, null);
            (exit, output) = LedgerProcess.Run("node", "restore", "--from", backup, "--config", freshConfig);
            Assert.That(exit, Is.EqualTo(2), output);
            Assert.That(output.Trim(), Does.Contain("holds a rocksdb store").And.Contain("store: \"rocksdb\""));
            Assert.That(output.Trim().Split('\n'), Has.Length.EqualTo(1));
            // A damaged table file: refused by its SM3.
            AssertRefused(Damage(backup, "damaged", d => FlipByte(Directory.EnumerateFiles(Path.Combine(d, "data", "ledger.rocksdb")).OrderByDescending(f => new FileInfo(f).Length).First(), 100)),
                WithStore(freshConfig, "rocksdb"), "SM3");

            Assert.That(node.Stop(TimeSpan.FromSeconds(30)), Is.Zero, node.Output);
            (exit, output) = LedgerProcess.Run("node", "restore", "--from", backup, "--config", freshConfig);
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain($"restored guangdong at height {height}"));

            node.Dispose();
            node = LedgerProcess.Start("node", "--config", freshConfig);
            await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
            using var restoredChannel = devnet.Channel();
            var restored = devnet.Client(restoredChannel);
            Assert.That(Convert.ToHexStringLower((await restored.GetBlockAsync(new Rpc.GetBlockRequest { Height = height })).BlockHash.Span), Is.EqualTo(manifest.GetProperty("blockHash").GetString()));
            foreach (var tx in committed)
                Assert.That((await restored.GetTransactionAsync(new Rpc.GetTransactionRequest { TxId = tx })).Height, Is.GreaterThan(0UL));
            await CommitOneAsync(devnet, restored);
        }
        finally
        {
            node.Dispose();
        }
    }

    private static void SetStore(string config, string? store)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        json.Remove("store");
        if (store is not null) json["store"] = store;
        File.WriteAllText(config, json.ToJsonString());
    }

    private static string WithStore(string config, string store)
    {
        SetStore(config, store);
        return config;
    }

    [Test]
    [Category("Long")]
    public async Task A_validator_restored_from_an_online_backup_catches_up_with_no_fork_and_no_acknowledged_tx_lost()
    {
        using var devnet = new DevnetFixture(validators: 4);
        const int victim = 2;
        var nodes = devnet.ValidatorNames.Select(name => LedgerProcess.Start("node", "--config", devnet.NodeConfig(name))).ToArray();
        try
        {
            for (var i = 0; i < 4; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), nodes[i]);
            var channels = Enumerable.Range(0, 4).Select(i => devnet.Channel(i)).ToArray();
            var clients = channels.Select(devnet.Client).ToArray();
            var acknowledged = new ConcurrentDictionary<string, byte>();
            var acknowledgedByVictim = new ConcurrentDictionary<string, byte>();
            var commits = 0;
            var down = 0;
            var submittingToVictim = 0;
            using var load = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                var random = new Random(w);
                while (!load.IsCancellationRequested)
                {
                    var target = random.Next(4);
                    if (target == victim)
                    {
                        Interlocked.Increment(ref submittingToVictim);
                        if (Volatile.Read(ref down) == 1)
                        {
                            Interlocked.Decrement(ref submittingToVictim);
                            continue;
                        }
                    }
                    var (envelope, _) = devnet.NewRegistration();
                    try
                    {
                        Rpc.SubmitResponse submitted;
                        try
                        {
                            submitted = await clients[target].SubmitAsync(DevnetFixture.Submit(envelope), cancellationToken: load.Token);
                        }
                        finally
                        {
                            if (target == victim) Interlocked.Decrement(ref submittingToVictim);
                        }
                        acknowledged[Convert.ToHexStringLower(submitted.TxId.Span)] = 0;
                        if (target == victim) acknowledgedByVictim[Convert.ToHexStringLower(submitted.TxId.Span)] = 0;
                        await clients[target].WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 20_000 }, cancellationToken: load.Token);
                        Interlocked.Increment(ref commits);
                    }
                    catch (RpcException)
                    {
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            })).ToArray();

            await ConsortiumChecks.Until(() => Volatile.Read(ref commits) >= 10, TimeSpan.FromSeconds(120), "commits under load");
            var name = devnet.ValidatorNames[victim];
            var backup = Path.Combine(devnet.Directory.FullName, "backup");
            var (exit, output) = LedgerProcess.Run("node", "backup", "--config", devnet.NodeConfig(name), "--out", backup, "--include-keys");
            Assert.That(exit, Is.Zero, output);
            var height = JsonDocument.Parse(File.ReadAllText(Path.Combine(backup, "manifest.json"))).RootElement.GetProperty("height").GetUInt64();
            TestContext.Out.WriteLine($"backed up {name} at height {height}");

            // The chain moves on past the backup; then the validator's machine is lost, data and all.
            await ConsortiumChecks.UntilAsync(async () => (await clients[0].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height >= height + 3, TimeSpan.FromSeconds(120), "blocks after the backup");
            // Clients turn away from it first: a tx only the lost node had acknowledged, not yet gossiped, would be lost
            // with its journal (docs/operations.md). Every tx it acknowledged is committed by the others before the loss.
            Interlocked.Exchange(ref down, 1); // a full fence: a worker that saw 0 has already counted itself in
            await ConsortiumChecks.Until(() => Volatile.Read(ref submittingToVictim) == 0, TimeSpan.FromSeconds(60), "submissions on their way to it get their answers");
            foreach (var tx in acknowledgedByVictim.Keys)
                Assert.That((await clients[0].WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = ByteString.CopyFrom(Convert.FromHexString(tx)), TimeoutMs = 60_000 })).ReceiptCode,
                    Is.Zero, $"{tx}, acknowledged by {name}, committed by the others");
            nodes[victim].Kill();
            Directory.Delete(Path.Combine(devnet.Directory.FullName, "nodes", name, "data"), recursive: true);
            var atLoss = Volatile.Read(ref commits);
            await ConsortiumChecks.Until(() => Volatile.Read(ref commits) >= atLoss + 5, TimeSpan.FromSeconds(120), "the other three commit without it");

            var fresh = Path.Combine(devnet.Directory.FullName, "fresh-" + name);
            Directory.CreateDirectory(fresh);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(backup, "config"))) File.Copy(file, Path.Combine(fresh, Path.GetFileName(file)));
            File.Copy(Path.Combine(devnet.Directory.FullName, "passphrase"), Path.Combine(fresh, "passphrase"));
            (exit, output) = LedgerProcess.Run("node", "restore", "--from", backup, "--config", Path.Combine(fresh, "config.json"));
            Assert.That(exit, Is.Zero, output);
            nodes[victim].Dispose();
            nodes[victim] = LedgerProcess.Start("node", "--config", Path.Combine(fresh, "config.json"));
            await devnet.WaitHealthyAsync(victim, TimeSpan.FromSeconds(60), nodes[victim]);
            Volatile.Write(ref down, 0);

            var othersHead = (await clients[0].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height;
            await ConsortiumChecks.UntilAsync(async () => (await clients[victim].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height >= othersHead, TimeSpan.FromSeconds(120),
                "the restored validator catches up");
            var atRestore = Volatile.Read(ref commits);
            await ConsortiumChecks.Until(() => Volatile.Read(ref commits) >= atRestore + 5, TimeSpan.FromSeconds(120), "commits with the restored validator back");
            await load.CancelAsync();
            await Task.WhenAll(workers);

            var converged = await ConsortiumChecks.OneChainWithEveryAcknowledgedTxAsync(clients, acknowledged.Keys, TimeSpan.FromSeconds(60));
            Assert.That(acknowledged, Has.Count.GreaterThan(20));
            using var http = devnet.Transport.Http();
            foreach (var i in Enumerable.Range(0, 4))
                Assert.That((await http.GetStringAsync(new Uri(devnet.HttpAddress(i), "/equivocations"))).Trim(), Is.EqualTo("[]"), $"no equivocation seen by {devnet.ValidatorNames[i]}");
            TestContext.Out.WriteLine($"{acknowledged.Count} acknowledged txs on all 4 nodes; height {converged}; backup at {height}");
            foreach (var channel in channels) channel.Dispose();
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }

    /// <summary>Commits tx after tx until <paramref name="stop"/> fires: the load a backup runs under.</summary>
    private static Task KeepCommittingAsync(DevnetFixture devnet, Rpc.LedgerService.LedgerServiceClient client, CancellationToken stop) => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await CommitOneAsync(devnet, client, stop);
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
            }
        }
    });

    private static async Task<ByteString> CommitOneAsync(DevnetFixture devnet, Rpc.LedgerService.LedgerServiceClient client, CancellationToken cancellationToken = default)
    {
        var (envelope, _) = devnet.NewRegistration();
        var submitted = await client.SubmitAsync(DevnetFixture.Submit(envelope), cancellationToken: cancellationToken);
        var committed = await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 30_000 }, cancellationToken: cancellationToken);
        Assert.That(committed.ReceiptCode, Is.Zero);
        return submitted.TxId;
    }

    /// <summary>A copy of the backup in a sibling directory, changed by <paramref name="damage"/>.</summary>
    private static string Damage(string backup, string name, Action<string> damage)
    {
        var copy = backup + "-" + name;
        foreach (var file in Directory.EnumerateFiles(backup, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(backup, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        damage(copy);
        return copy;
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x5A));
    }

    private static void AssertRefused(string backup, string config, string reason)
    {
        var (exit, output) = LedgerProcess.Run("node", "restore", "--from", backup, "--config", config);
        Assert.That(exit, Is.EqualTo(1), output);
        Assert.That(output.Trim(), Does.StartWith("ledger: backup refused:").And.Contain(reason));
        Assert.That(output.Trim().Split('\n'), Has.Length.EqualTo(1), "one line");
        var data = Path.Combine(Path.GetDirectoryName(config)!, "data");
        Assert.That(!Directory.Exists(data) || !Directory.EnumerateFileSystemEntries(data).Any(), "nothing restored from a refused backup");
    }

}
