using System.Collections.Concurrent;
using Grpc.Core;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Crypto.Certificates;
using Ledger.Node.Config;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Validator-set governance through real processes (issue 14): a four-validator devnet under load votes a fifth validator
/// in, which catches up and then seals blocks; then votes one of the first four out, whose seals stop counting; a proposal
/// that never reaches a quorum changes nothing. Throughout, one chain on every node and no acknowledged tx lost.
/// </summary>
public class GovernanceTests
{
    [Test]
    public async Task A_validator_is_voted_in_under_load_then_one_is_voted_out_with_no_fork_and_nothing_lost()
    {
        using var devnet = new DevnetFixture(validators: 4, spares: 1);
        var spareName = System.IO.Directory.GetDirectories(Path.Combine(devnet.Directory.FullName, "nodes")).Select(Path.GetFileName)
            .Single(n => !devnet.ValidatorNames.Contains(n!))!;
        var spareConfig = NodeConfig.Load(devnet.NodeConfig(spareName));
        var spareId = LedgerCertificate.FromPem(File.ReadAllText(spareConfig.Resolve(spareConfig.Certificate))).Id;
        var spareGrpc = new Uri($"https://{spareConfig.GrpcListen}");

        var processes = devnet.ValidatorNames.Select(name => LedgerProcess.Start("node", "--config", devnet.NodeConfig(name))).ToList();
        // The spare starts at once: its peers refuse it until the vote passes, then it catches up.
        processes.Add(LedgerProcess.Start("node", "--config", devnet.NodeConfig(spareName)));
        try
        {
            for (var i = 0; i < 4; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), processes[i]);
            var channels = Enumerable.Range(0, 4).Select(i => devnet.Channel(i)).Append(devnet.Transport.Channel(spareGrpc)).ToArray();
            var clients = channels.Select(devnet.Client).ToArray();
            var acknowledged = new ConcurrentDictionary<string, byte>();
            var excluded = -1;

            using var load = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                var random = new Random(w);
                while (!load.IsCancellationRequested)
                {
                    var target = random.Next(4);
                    if (target == Volatile.Read(ref excluded)) continue;
                    var (envelope, _) = devnet.NewRegistration();
                    try
                    {
                        var submitted = await clients[target].SubmitAsync(DevnetFixture.Submit(envelope), cancellationToken: load.Token);
                        acknowledged[Convert.ToHexStringLower(submitted.TxId.Span)] = 0;
                        await clients[target].WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 20_000 }, cancellationToken: load.Token);
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
            async Task<uint> SetSize(int i) => (await clients[i].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Validators;
            async Task<(BlockHeader Header, CommitCertificate Commit)> Block(int i, ulong height)
            {
                var block = await clients[i].GetBlockAsync(new Rpc.GetBlockRequest { Height = height, HeaderOnly = true });
                return (BlockHeader.Decode(block.Header.Span), CommitCertificate.Decode(block.Commit.Span));
            }
            string[] tls = ["--node", devnet.GrpcAddress().ToString(), "--transport-ca", devnet.Transport.CaPath];
            (int Exit, string Output) Governance(params string[] args) => LedgerProcess.Run(["governance", .. args, .. tls]);

            await ConsortiumChecks.UntilAsync(async () => await Head(0) >= 5, TimeSpan.FromSeconds(120), "the consortium commits under load");

            // A proposal nobody else supports: it expires, and the set never changes because of it.
            var doomedAt = await Head(0) + 60;
            var doomed = Governance("propose", "--config", devnet.NodeConfig(devnet.ValidatorNames[1]), "--remove", Path.Combine(devnet.Directory.FullName, "nodes", devnet.ValidatorNames[2], "node.pem"),
                "--at", doomedAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(doomed.Exit, Is.Zero, doomed.Output);

            // Vote the spare in: the province proposes, two cities approve (3 of 4).
            // Devnet blocks come every 200 ms under load: the votes (three CLI runs) must land 10 blocks before the height.
            var joinAt = await Head(0) + 150;
            var proposed = Governance("propose", "--config", devnet.NodeConfig("guangdong"), "--add", spareName, "--validator-cert", spareConfig.Resolve(spareConfig.Certificate),
                "--at", joinAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(proposed.Exit, Is.Zero, proposed.Output);
            var proposal = proposed.Output.Split('\n').Single(l => l.StartsWith("proposal ", StringComparison.Ordinal))["proposal ".Length..].Trim();
            var early = Governance("vote", "--config", devnet.NodeConfig(spareName), "--proposal", proposal, "--approve");
            Assert.That(early.Exit, Is.EqualTo(1), "the spare cannot vote itself in: " + early.Output);
            Assert.That(early.Output, Does.Contain("GovernanceRoleNotAllowed"));
            Assert.That(Governance("vote", "--config", devnet.NodeConfig(devnet.ValidatorNames[1]), "--proposal", proposal, "--approve").Exit, Is.Zero);
            var passing = Governance("vote", "--config", devnet.NodeConfig(devnet.ValidatorNames[2]), "--proposal", proposal, "--approve");
            Assert.That(passing.Exit, Is.Zero, passing.Output);
            Assert.That(passing.Output, Does.Contain($"the set changes at height {joinAt}"));

            // The spare catches up, and from the effective height on the five decide: it seals or proposes blocks.
            await ConsortiumChecks.UntilAsync(async () => await Head(4) >= joinAt, TimeSpan.FromSeconds(180), "the voted-in validator catches up to its first height");
            Assert.That(await SetSize(0), Is.EqualTo(5u));
            await ConsortiumChecks.UntilAsync(async () =>
            {
                var head = await Head(0);
                for (var h = joinAt; h <= head; h++)
                {
                    var (header, commit) = await Block(0, h);
                    if (header.Proposer == spareId || commit.Seals.Any(s => s.Validator == spareId)) return true;
                }
                return false;
            }, TimeSpan.FromSeconds(180), "the new validator takes part (a seal or a proposal)");
            var doomedHead = await Head(0);
            Assert.That(doomedHead, Is.GreaterThan(doomedAt), "the unsupported proposal's height has passed");
            Assert.That((await Block(0, doomedAt)).Header.ValidatorSetHash, Is.EqualTo((await Block(0, doomedAt - 1)).Header.ValidatorSetHash),
                "the proposal without a quorum changed nothing");

            // Vote the last genesis city out: 4 of the 5 must approve, the new validator among them.
            var leaving = 3;
            var leaveAt = await Head(0) + 150;
            var removal = Governance("propose", "--config", devnet.NodeConfig("guangdong"), "--remove",
                Path.Combine(devnet.Directory.FullName, "nodes", devnet.ValidatorNames[leaving], "node.pem"), "--at", leaveAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(removal.Exit, Is.Zero, removal.Output);
            var removalId = removal.Output.Split('\n').Single(l => l.StartsWith("proposal ", StringComparison.Ordinal))["proposal ".Length..].Trim();
            foreach (var voter in new[] { devnet.ValidatorNames[1], spareName, devnet.ValidatorNames[2] })
            {
                var vote = Governance("vote", "--config", devnet.NodeConfig(voter), "--proposal", removalId, "--approve");
                Assert.That(vote.Exit, Is.Zero, vote.Output);
            }
            Volatile.Write(ref excluded, leaving);
            await ConsortiumChecks.UntilAsync(async () => await Head(0) >= leaveAt + 10, TimeSpan.FromSeconds(180), "blocks after the removal");
            Assert.That(await SetSize(0), Is.EqualTo(4u));
            var removedId = devnet.ValidatorIds[leaving];
            for (var h = leaveAt; h <= leaveAt + 10; h++)
            {
                var (header, commit) = await Block(0, h);
                Assert.That(commit.Seals.Select(s => s.Validator), Has.No.Member(removedId), $"height {h}: the removed validator's seal does not count");
                Assert.That(header.Proposer, Is.Not.EqualTo(removedId));
            }

            await load.CancelAsync();
            await Task.WhenAll(workers);
            int[] remaining = [0, 1, 2, 4];
            var converged = await ConsortiumChecks.OneChainWithEveryAcknowledgedTxAsync(remaining.Select(i => clients[i]).ToArray(), acknowledged.Keys, TimeSpan.FromSeconds(60));
            Assert.That(acknowledged, Has.Count.GreaterThan(20));
            TestContext.Out.WriteLine($"{acknowledged.Count} acknowledged txs on the four validators of the final set; height {converged}; joined at {joinAt}, left at {leaveAt}");
            foreach (var channel in channels) channel.Dispose();
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }
    }
}
