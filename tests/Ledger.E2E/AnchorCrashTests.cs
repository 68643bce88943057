using System.Globalization;
using Grpc.Core;
using Ledger.Anchor;
using Ledger.Client;
using Ledger.Crypto;
using Ledger.TestKit;
using Nethereum.Signer;

namespace Ledger.E2E;

/// <summary>
/// Issue 17: the anchoring service (`ledger anchor`, a real process) SIGKILLed again and again while a real node
/// commits blocks under load and ganache mines confirmations — every checkpoint is anchored exactly once: one
/// Anchored event per checkpoint height, one tx per checkpoint from the anchoring account, each equal to our block.
/// </summary>
[NonParallelizable]
public class AnchorCrashTests
{
    private const ulong Every = 4;

    [Test]
    public Task Sigkilled_anchor_service_anchors_every_checkpoint_exactly_once_short() => RunAsync(kills: 2, seed: 1);

    [Test]
    [Category("Long")]
    public Task Sigkilled_anchor_service_anchors_every_checkpoint_exactly_once_long() => RunAsync(kills: 10, seed: 2);

    private static async Task RunAsync(int kills, int seed)
    {
        using var devnet = new DevnetFixture();
        using var ganache = await GanacheNode.StartAsync();
        var random = new Random(seed);
        var dir = devnet.Directory.FullName;

        var (address, contract, config, store) = await SetUpAnchoringAsync(devnet, ganache, Every);

        using var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig());
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
        using var channel = devnet.Channel();
        var rpc = devnet.Client(channel);
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await rpc.SubmitAsync(DevnetFixture.Submit(devnet.NewRegistration().Envelope), cancellationToken: stop.Token);
                    await Task.Delay(20, stop.Token);
                }
                catch (Exception e) when (e is RpcException or OperationCanceledException)
                {
                }
            }
        });
        // The external chain keeps moving: confirmations come from blocks mined on top.
        var miner = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await ganache.MineAsync();
                try
                {
                    await Task.Delay(150, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        var killedMidFlight = 0;
        for (var round = 0; round < kills; round++)
        {
            using var anchor = LedgerProcess.StartIn(dir, "anchor", "--config", config);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            if (round % 2 == 0)
            {
                // Mid-flight: right after a tx is signed and written down, before it is confirmed.
                var before = File.Exists(store.Path) ? store.Load().Pending?.TxHash : null;
                while (DateTime.UtcNow < deadline && !anchor.HasExited)
                {
                    if (File.Exists(store.Path) && store.Load().Pending is { } p && p.TxHash != before) break;
                    await Task.Delay(5);
                }
                killedMidFlight++;
            }
            else
            {
                await Task.Delay(random.Next(300, 2500));
            }
            Assert.That(anchor.HasExited, Is.False, $"round {round}: the anchor service died by itself:\n{anchor.Output}");
            anchor.Kill();
        }

        // A last run, left alone until it has caught up with the chain as it stands once the load stops (after a few
        // checkpoints at least).
        using var client = devnet.Connect();
        var grown = DateTime.UtcNow.AddSeconds(60);
        while ((await client.GetChainInfoAsync()).Height < Every * 3 && DateTime.UtcNow < grown) await Task.Delay(50);
        await stop.CancelAsync();
        await load;
        var head = (await client.GetChainInfoAsync()).Height;
        var last = head / Every * Every;
        Assert.That(last, Is.GreaterThanOrEqualTo(Every * 3), "the chain grew past a few checkpoints under load");
        using (var final = LedgerProcess.StartIn(dir, "anchor", "--config", config))
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!(File.Exists(store.Path) && store.Load() is { } done && done.LastConfirmed >= last && done.RecordedUpTo >= last))
            {
                Assert.That(final.HasExited, Is.False, final.Output);
                if (DateTime.UtcNow > deadline) Assert.Fail($"checkpoint {last} not confirmed; state {File.ReadAllText(store.Path)}\n{final.Output}");
                await ganache.MineAsync();
                await Task.Delay(100);
            }
            Assert.That(final.Stop(TimeSpan.FromSeconds(10)), Is.Zero, final.Output);
        }
        await miner;

        var evm = new EvmAnchorChain(ganache.Url.ToString(), GanacheNode.ChainId, contract, EthECKey.GenerateKey());
        var events = (await evm.GetAnchoredEventsAsync()).Select(e => e.Event.Height).Where(h => h <= last).ToList();
        var expected = Enumerable.Range(1, (int)(last / Every)).Select(i => (ulong)i * Every).ToList();
        Assert.That(events, Is.EqualTo(expected), "one Anchored event per checkpoint height, in order");
        var chainId = (await client.GetChainInfoAsync()).ChainId;
        foreach (var height in expected)
        {
            var ours = Checkpoint.FromBlock(chainId, (await client.GetBlockAsync(height))!, Sm3Hasher.Instance);
            Assert.That((await evm.ReadCheckpointAsync(chainId, height))!.Checkpoint, Is.EqualTo(ours), $"checkpoint {height}");
        }
        var anchoredTotal = (await evm.GetAnchoredEventsAsync()).Count;
        Assert.That(await ganache.NonceAsync(address), Is.EqualTo((ulong)anchoredTotal + 1), "one tx per checkpoint (+ the deployment), none wasted");

        // And each anchor is recorded on our chain once: one committed ExternalAnchor per checkpoint (a restart may add
        // a refused duplicate, ExternalAnchorExists, never a second record).
        var recorded = new List<ulong>();
        for (var h = 1UL; h <= (await client.GetChainInfoAsync()).Height; h++)
        {
            var block = (await client.GetBlockAsync(h))!;
            for (var t = 0; t < block.Transactions.Count; t++)
            {
                var body = Core.Transactions.TxEnvelope.Decode(block.Transactions[t].Span).Body;
                if (body.PayloadField != Core.Anchoring.ExternalAnchorPayload.Field) continue;
                var anchored = Core.Anchoring.ExternalAnchorPayload.Decode(body.Payload.Span);
                if (block.Receipts[t].Code == Core.ErrorCode.Ok) recorded.Add(anchored.Height);
                else Assert.That(block.Receipts[t].Code, Is.EqualTo(Core.ErrorCode.ExternalAnchorExists));
                if (anchored.Height <= last)
                    Assert.That(anchored.TxHash.ToHex(), Is.EqualTo(store.Load().Receipts.Single(r => r.Height == anchored.Height).TxHash[2..]));
            }
        }
        Assert.That(recorded.Where(h => h <= last), Is.EqualTo(expected), "one ExternalAnchor record per checkpoint on our chain");
        TestContext.Out.WriteLine($"{kills} kills ({killedMidFlight} mid-flight), {anchoredTotal} checkpoints anchored once each up to height {head}");
    }

    /// <summary>
    /// The anchoring account (a keystore made by `ledger anchor key new`, funded), the contract (deployed by `ledger
    /// anchor deploy`) and the service's config in the devnet's folder.
    /// </summary>
    internal static async Task<(string Address, string Contract, string Config, AnchorStateStore Store)> SetUpAnchoringAsync(
        DevnetFixture devnet, GanacheNode ganache, ulong every)
    {
        var dir = devnet.Directory.FullName;
        // The chain anchors every `every` blocks (and, in practice, never by time): genesis says so, before any node starts.
        devnet.SetAnchoring(new Core.Genesis.AnchoringParameters { IntervalBlocks = every, IntervalSeconds = 30 * 24 * 3600 });
        // The anchoring account: a keystore made by the CLI, funded, and the contract deployed by the CLI with it.
        var env = new Dictionary<string, string> { ["ANCHOR_PASS"] = "anchor passphrase" };
        var keyFile = Path.Combine(dir, "anchor.key");
        var made = Ledger(env, "anchor", "key", "new", "--out", keyFile, "--passphrase-env", "ANCHOR_PASS", "--scrypt-n", "1024");
        var address = made.StdOut.Trim();
        Assert.That(address, Does.StartWith("0x").And.Length.EqualTo(42), made.StdErr);
        await ganache.FundAsync(address, 10m);
        var deployed = Ledger(env, "anchor", "deploy", "--rpc", ganache.Url.ToString(), "--evm-chain-id", GanacheNode.ChainId.ToString(CultureInfo.InvariantCulture),
            "--key", keyFile, "--passphrase-env", "ANCHOR_PASS");
        var contract = deployed.StdOut.Trim();
        Assert.That(deployed.ExitCode, Is.Zero, deployed.StdErr);

        File.WriteAllText(Path.Combine(dir, "anchor-pass"), "anchor passphrase\n");
        var signer = Directory.GetDirectories(Path.Combine(dir, "signers")).Single();
        var config = Path.Combine(dir, "anchor.json");
        File.WriteAllText(config, new AnchorOptions
        {
            Node = devnet.GrpcAddress().ToString(),
            TransportCa = "transport-ca.pem",
            Rpc = ganache.Url.ToString(),
            EvmChainId = GanacheNode.ChainId,
            Contract = contract,
            KeyFile = "anchor.key",
            PassphraseFile = "anchor-pass",
            StateFile = "anchor-state.json",
            // Each confirmed anchor is recorded on our chain by the first city's Bureau certificate (its signer's).
            RecorderKeyFile = Path.GetRelativePath(dir, Path.Combine(signer, "signer.key")),
            RecorderCertificate = Path.GetRelativePath(dir, Path.Combine(signer, "signer.pem")),
            RecorderPassphraseFile = "passphrase",
            RecorderAllowWeakKdf = true,
            Confirmations = 2,
            PollMs = 100,
            RetryMinMs = 100,
            RetryMaxMs = 1000,
        }.ToJson());
        var store = new AnchorStateStore(Path.Combine(dir, "anchor-state.json"));

        return (address, contract, config, store);
    }

    internal static ProcessRunner.Outcome Ledger(IDictionary<string, string> env, params string[] args) =>
        ProcessRunner.Run("dotnet", [LedgerProcess.Executable, .. args], timeout: TimeSpan.FromMinutes(2), environment: env);
}
