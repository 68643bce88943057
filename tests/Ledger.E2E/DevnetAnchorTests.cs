using System.Globalization;
using Grpc.Core;
using Ledger.Anchor;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// Issue 17's first acceptance item: `ledger devnet --anchor` starts a local EVM node and the anchoring service with
/// the network; under load every checkpoint is anchored and recorded on our chain, and `ledger anchor verify`
/// confirms a random anchored height. (A changed stored header failing verify: AnchorVerifyCommandTests.)
/// </summary>
[NonParallelizable]
public class DevnetAnchorTests
{
    [Test]
    public async Task Devnet_with_anchor_anchors_every_checkpoint_and_verify_confirms_a_random_height()
    {
        using var devnet = new DevnetFixture();
        using var process = LedgerProcess.Start("devnet", "--dir", devnet.Directory.FullName, "--kdf-iterations", "1000", "--anchor");
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(90), process);
        var anchorDirectory = Path.Combine(devnet.Directory.FullName, "anchor");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!File.Exists(Path.Combine(anchorDirectory, "anchor.json")))
        {
            Assert.That(process.HasExited, Is.False, process.Output);
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), process.Output);
            await Task.Delay(100);
        }
        var options = AnchorOptions.Load(Path.Combine(anchorDirectory, "anchor.json"));
        var store = new AnchorStateStore(options.StateFile);

        using var channel = devnet.Channel();
        var rpc = devnet.Client(channel);
        using var client = Ledger.Client.LedgerClient.Connect(devnet.GrpcAddress().ToString(), new Ledger.Client.LedgerClientOptions { TransportCa = devnet.Transport.Trust, Identity = devnet.Observer });
        Core.Hash32? first = null;
        while (!(File.Exists(store.Path) && store.Load() is { } state && state.LastConfirmed >= 20 && state.RecordedUpTo >= 20))
        {
            Assert.That(process.HasExited, Is.False, process.Output);
            if (DateTime.UtcNow > deadline) Assert.Fail($"checkpoints 10 and 20 not anchored and recorded:\n{process.Output}");
            try
            {
                var envelope = devnet.NewRegistration().Envelope;
                await rpc.SubmitAsync(DevnetFixture.Submit(envelope));
                first ??= envelope.ComputeId(Crypto.Sm3Hasher.Instance);
            }
            catch (RpcException)
            {
            }
            await Task.Delay(50);
        }
        var receipts = store.Load().Receipts;
        Assert.That(receipts.Select(r => r.Height).Take(2), Is.EqualTo(new ulong[] { 10, 20 }), "every checkpoint, in order");

        var height = (ulong)new Random().Next(1, 21);
        var verify = AnchorCrashTests.Ledger(new Dictionary<string, string>(), "anchor", "verify", "--height", height.ToString(CultureInfo.InvariantCulture),
            "--rpc", options.Rpc, "--contract", options.Contract, "--genesis", Path.Combine(devnet.Directory.FullName, "genesis.json"),
            "--node", devnet.GrpcAddress().ToString(), "--transport-ca", Path.Combine(devnet.Directory.FullName, "transport-ca.pem"), "--confirmations", "3");
        Assert.That(verify.ExitCode, Is.Zero, verify.StdErr);
        Assert.That(verify.StdOut, Does.Contain($"anchored: block {height} of chain {devnet.ChainId}"));
        // The first tx's proof carries the nearest later checkpoint — every checkpoint is anchored, in order, so the
        // lowest multiple of 10 at or above its block — checked offline by `ledger proof verify`.
        var committed = await client.WaitForCommitAsync(first!.Value, TimeSpan.FromSeconds(30));
        var expected = (committed.Height + 9) / 10 * 10;
        Ledger.Core.Evidence.EvidenceProof? proof = null;
        while ((proof = await client.GetEvidenceAsync(first.Value))!.Anchor is null || (store.Load().RecordedUpTo < expected))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline.AddSeconds(60)), $"no anchor in the proof of the tx at height {committed.Height}:\n{process.Output}");
            await Task.Delay(200);
        }
        var proofPath = Path.Combine(devnet.Directory.FullName, "anchored-proof.json");
        await File.WriteAllTextAsync(proofPath, proof.ToJson());
        var proved = AnchorCrashTests.Ledger(new Dictionary<string, string>(), "proof", "verify", proofPath, "--genesis", Path.Combine(devnet.Directory.FullName, "genesis.json"));
        Assert.That(proved.ExitCode, Is.Zero, proved.StdErr);
        Assert.That(proved.StdOut, Does.Contain($"for checkpoint {expected} (linked by {expected - committed.Height} headers)"));
        Assert.That(proved.StdOut, Does.Contain("this block existed no later than external block").And.Contain($"ledger anchor verify --height {expected}"));
        // The independent JS verifier (verifiers/js; scripts/test.sh runs npm ci there) reads the same checkpoint.
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Ledger.sln"))) root = Path.GetDirectoryName(root)!;
        var js = ProcessRunner.Run("node", ["verify.js", proofPath, "--genesis", Path.Combine(devnet.Directory.FullName, "genesis.json")], Path.Combine(root, "verifiers", "js"));
        Assert.That(js.ExitCode, Is.Zero, js.StdOut + js.StdErr);
        var anchor = System.Text.Json.JsonDocument.Parse(js.StdOut).RootElement.GetProperty("anchor");
        Assert.That(anchor.GetProperty("checkpointHeight").GetUInt64(), Is.EqualTo(expected));
        Assert.That(anchor.GetProperty("needsExternalChain").GetString(), Does.Contain("ledger anchor verify"));

        Assert.That(process.Stop(TimeSpan.FromSeconds(30)), Is.Zero, process.Output);
        Assert.That(process.Output, Does.Contain("evm: pid").And.Contain("anchor: pid"));
    }
}
