using System.Text.Json.Nodes;
using Grpc.Core;
using Ledger.Core.Blocks;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Node.Config;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Issue 14: a validator re-certified by vote (Replace) switches to the next key its config names at the stated height,
/// by itself, through real processes: the same process seals every later block with the new key and never again with
/// the old one, and the chain does not stop (measured: 5 of the 7 blocks from the change on carried its new seal).
/// </summary>
[NonParallelizable]
public class KeySwitchTests
{
    /// <remarks>About two minutes (the vote needs 200 heights of headroom under load): Long. The short form is
    /// tests/Ledger.Node.Tests/Governance/KeySwitchTests.cs, four validators through QBFT in one process.</remarks>
    [Test]
    [Category("Long")]
    public async Task A_validator_switches_to_its_next_key_at_the_replace_height_without_a_restart()
    {
        using var devnet = new DevnetFixture(validators: 4);
        const int renewing = 3;
        var name = devnet.ValidatorNames[renewing];
        var configPath = devnet.NodeConfig(name);
        var config = NodeConfig.Load(configPath);
        var passphrase = File.ReadAllText(Path.Combine(devnet.Directory.FullName, "passphrase")).Trim();
        var old = LedgerCertificate.FromPem(File.ReadAllText(config.Resolve(config.Certificate)));

        // The bureau's new key and its city CA's certificate for it, named in the config before the vote.
        var issuer = CertificateAuthority.FromCertificate(LedgerCertificate.FromPem(File.ReadAllText(config.Resolve(config.IssuerCertificate!))),
            KeyFile.Load(Path.Combine(devnet.Directory.FullName, "ca", name + ".key"), passphrase, KeyFileOptions.ForTests));
        using (var key = Sm2PrivateKey.Generate())
        {
            var renewed = issuer.Issue(new CertificateRequest(old.CommonName + " (renewed)", Core.Identity.Role.Validator, old.Division, key.PublicKey,
                DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
            KeyFile.Save(config.Resolve("next.key"), key, passphrase, KeyFileOptions.ForTests);
            File.WriteAllText(config.Resolve("next.pem"), renewed.ToPem());
        }
        var json = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        json["nextKey"] = "next.key";
        json["nextCertificate"] = "next.pem";
        File.WriteAllText(configPath, json.ToJsonString());
        var newId = LedgerCertificate.FromPem(File.ReadAllText(config.Resolve("next.pem"))).Id;

        var nodes = devnet.ValidatorNames.Select(n => LedgerProcess.Start("node", "--config", devnet.NodeConfig(n))).ToArray();
        try
        {
            for (var i = 0; i < 4; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), nodes[i]);
            var channels = Enumerable.Range(0, 4).Select(i => devnet.Channel(i)).ToArray();
            var clients = channels.Select(devnet.Client).ToArray();
            using var load = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
            {
                while (!load.IsCancellationRequested)
                {
                    var (envelope, _) = devnet.NewRegistration();
                    try
                    {
                        var submitted = await clients[w].SubmitAsync(DevnetFixture.Submit(envelope), cancellationToken: load.Token);
                        await clients[w].WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 20_000 }, cancellationToken: load.Token);
                    }
                    catch (RpcException)
                    {
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            })).ToArray();
            async Task<ulong> Head(int i) => (await clients[i].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height;
            async Task<(BlockHeader Header, CommitCertificate Commit)> Block(ulong height)
            {
                var block = await clients[0].GetBlockAsync(new Rpc.GetBlockRequest { Height = height, HeaderOnly = true });
                return (BlockHeader.Decode(block.Header.Span), CommitCertificate.Decode(block.Commit.Span));
            }
            string[] tls = ["--node", devnet.GrpcAddress().ToString(), "--transport-ca", devnet.Transport.CaPath];
            (int Exit, string Output) Governance(params string[] args) => LedgerProcess.Run(["governance", .. args, .. tls]);

            await ConsortiumChecks.UntilAsync(async () => await Head(0) >= 3, TimeSpan.FromSeconds(60), "commits under load");
            var at = await Head(0) + 200; // the three CLI runs must land 10 blocks before it: blocks come fast under load
            var proposed = Governance("propose", "--config", devnet.NodeConfig(devnet.ValidatorNames[0]), "--replace", name, "--validator-cert", config.Resolve("next.pem"),
                "--at", at.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(proposed.Exit, Is.Zero, proposed.Output);
            var proposal = proposed.Output.Split('\n').Single(l => l.StartsWith("proposal ", StringComparison.Ordinal))["proposal ".Length..].Trim();
            Assert.That(Governance("vote", "--config", devnet.NodeConfig(devnet.ValidatorNames[1]), "--proposal", proposal, "--approve").Exit, Is.Zero);
            var passing = Governance("vote", "--config", configPath, "--proposal", proposal, "--approve");
            Assert.That(passing.Exit, Is.Zero, passing.Output);
            Assert.That(passing.Output, Does.Contain($"the set changes at height {at}"));

            await ConsortiumChecks.UntilAsync(async () => await Head(0) >= at + 6, TimeSpan.FromSeconds(120), "blocks past the change");
            await load.CancelAsync();
            await Task.WhenAll(workers);
            var sealedByNew = 0;
            for (var h = at; h <= at + 6; h++)
            {
                var (header, commit) = await Block(h);
                Assert.That(commit.Seals.Select(s => s.Validator), Has.No.Member(old.Id), $"height {h}: the old key no longer seals");
                Assert.That(header.Proposer, Is.Not.EqualTo(old.Id));
                if (commit.Seals.Any(s => s.Validator == newId)) sealedByNew++;
            }
            Assert.That(sealedByNew, Is.GreaterThan(0), "the same process seals with its new key (a quorum of 3 of 4 may leave any one seal out)");
            Assert.That(nodes[renewing].HasExited, Is.False, "never restarted");
            Assert.That(nodes[renewing].Output, Does.Contain($"decides height {at} with certificate {newId}"));
            TestContext.Out.WriteLine($"replace at {at}: {sealedByNew} of 7 blocks from it on sealed by the new key");
            foreach (var channel in channels) channel.Dispose();
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }
}
