using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Issue 5's E2E: four real <c>ledger node</c> processes under load; SIGKILL the current proposer, then restart it.
/// No fork, no acknowledged tx lost, commits resume within two round timeouts, the restarted node catches up.
/// </summary>
[NonParallelizable]
public class ConsortiumFaultTests
{
    [Test]
    public async Task Killing_the_proposer_under_load_loses_nothing_and_it_catches_up_after_restart()
    {
        using var devnet = new DevnetFixture(validators: 4);
        var nodes = devnet.ValidatorNames.Select(name => LedgerProcess.Start("node", "--config", devnet.NodeConfig(name))).ToArray();
        try
        {
            for (var i = 0; i < 4; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), nodes[i]);
            var channels = Enumerable.Range(0, 4).Select(i => devnet.Channel(i)).ToArray();
            var clients = channels.Select(devnet.Client).ToArray();
            var acknowledged = new ConcurrentDictionary<string, byte>();
            var killed = -1;
            var commitTimes = new ConcurrentQueue<long>();
            var clock = Stopwatch.StartNew();

            using var load = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
            {
                var random = new Random(w);
                while (!load.IsCancellationRequested)
                {
                    var target = random.Next(4);
                    if (target == Volatile.Read(ref killed)) continue;
                    var (envelope, _) = devnet.NewRegistration();
                    try
                    {
                        var submitted = await clients[target].SubmitAsync(DevnetFixture.Submit(envelope), cancellationToken: load.Token);
                        // Acknowledged when Submit answers OK: it must commit even if this node dies now.
                        acknowledged[Convert.ToHexStringLower(submitted.TxId.Span)] = 0;
                        await clients[target].WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 20_000 }, cancellationToken: load.Token);
                        commitTimes.Enqueue(clock.ElapsedMilliseconds);
                    }
                    catch (RpcException)
                    {
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            })).ToArray();

            await ConsortiumChecks.Until(() => commitTimes.Count >= 5, TimeSpan.FromSeconds(120), "the consortium commits under load");
            // A commit needs three of four nodes: any one node (node 0 included) may not have applied it yet, so the head is
            // the highest a node reports.
            var head = (await Task.WhenAll(clients.Select(async c => (await c.GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height))).Max();
            Assert.That(head, Is.GreaterThan(0UL), "the consortium commits under load");
            killed = devnet.ProposerOf(head + 1);
            // Round timeouts adapt: a height decided only after a round change doubles the next ones (consensus README),
            // so on a loaded machine the round the kill forces may wait 2^e times the base. e as the survivors have it now:
            using var metricsHttp = devnet.Transport.Http();
            var doublings = 0;
            for (var i = 0; i < 4; i++)
            {
                if (i == killed) continue;
                var text = await metricsHttp.GetStringAsync(new Uri(devnet.HttpAddress(i), "/metrics"));
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"^ledger_consensus_timeout_doublings(?:\{[^}]*\})? (\d+)", System.Text.RegularExpressions.RegexOptions.Multiline))
                    doublings = Math.Max(doublings, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
            var killedAt = clock.ElapsedMilliseconds;
            nodes[killed].Kill();
            TestContext.Out.WriteLine($"killed {devnet.ValidatorNames[killed]}, the proposer of height {head + 1}, at {killedAt} ms");

            await ConsortiumChecks.Until(() => commitTimes.Any(t => t > killedAt), TimeSpan.FromSeconds(120), "a commit after the proposer was killed");
            var resumedAfter = commitTimes.Where(t => t > killedAt).DefaultIfEmpty(long.MaxValue).Min() - killedAt;
            var roundTimeout = devnet.RoundTimeout.TotalMilliseconds * Math.Pow(2, doublings);
            TestContext.Out.WriteLine($"first commit after the kill: {resumedAfter} ms (round timeout {roundTimeout} ms: base {devnet.RoundTimeout.TotalMilliseconds} ms, {doublings} learned doublings)");
            // A commit in flight at the kill may land at once; the bound that matters is the round change.
            Assert.That(resumedAfter, Is.LessThanOrEqualTo((long)(2 * roundTimeout) + 1500), "commits resume within two round timeouts");

            nodes[killed].Dispose();
            nodes[killed] = LedgerProcess.Start("node", "--config", devnet.NodeConfig(devnet.ValidatorNames[killed]));
            await devnet.WaitHealthyAsync(killed, TimeSpan.FromSeconds(60), nodes[killed]);
            var restarted = killed;
            killed = -1;
            // The restarted validator catches up with the others, and the consortium commits with it back.
            var before = commitTimes.Count;
            var othersHead = (await clients[(restarted + 1) % 4].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height;
            await ConsortiumChecks.Until(() => commitTimes.Count >= before + 5, TimeSpan.FromSeconds(120), "commits after the restart");
            await ConsortiumChecks.UntilAsync(async () => (await clients[restarted].GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height >= othersHead, TimeSpan.FromSeconds(120),
                "the restarted validator catches up");
            await load.CancelAsync();
            await Task.WhenAll(workers);

            // Everyone converges on one chain holding every acknowledged tx.
            var converged = await ConsortiumChecks.OneChainWithEveryAcknowledgedTxAsync(clients, acknowledged.Keys, TimeSpan.FromSeconds(30));
            Assert.That(acknowledged, Has.Count.GreaterThan(20));

            // Consensus and peers are visible on /metrics; equivocation evidence (none among honest nodes) on /equivocations.
            using var http = devnet.Transport.Http();
            var metrics = await http.GetStringAsync(new Uri(devnet.HttpAddress(0), "/metrics"));
            Assert.That(metrics, Does.Contain("ledger_consensus_messages_received_total{"));
            Assert.That(metrics, Does.Contain("ledger_consensus_round_changes_total{"));
            Assert.That(metrics, Does.Match("ledger_blocks_committed_total\\{[^}]*\\} [1-9]"), "blocks committed by consensus are counted");
            Assert.That(metrics, Does.Match("ledger_peer_connected\\{[^}]*peer=\"shaoguan\"[^}]*\\} 1"));
            var evidence = await http.GetStringAsync(new Uri(devnet.HttpAddress(0), "/equivocations"));
            Assert.That(evidence.Trim(), Is.EqualTo("[]"));
            TestContext.Out.WriteLine($"{acknowledged.Count} acknowledged txs on all 4 nodes; height {converged}");
            foreach (var channel in channels) channel.Dispose();
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }
}
