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
        while (!(File.Exists(store.Path) && store.Load() is { } state && state.LastConfirmed >= 20 && state.RecordedUpTo >= 20))
        {
            Assert.That(process.HasExited, Is.False, process.Output);
            if (DateTime.UtcNow > deadline) Assert.Fail($"checkpoints 10 and 20 not anchored and recorded:\n{process.Output}");
            try
            {
                await rpc.SubmitAsync(DevnetFixture.Submit(devnet.NewRegistration().Envelope));
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
        Assert.That(process.Stop(TimeSpan.FromSeconds(30)), Is.Zero, process.Output);
        Assert.That(process.Output, Does.Contain("evm: pid").And.Contain("anchor: pid"));
    }
}
