using System.Globalization;
using Grpc.Core;
using Ledger.Core.Blocks;
using Ledger.Storage;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// Issue 17: `ledger anchor verify` against a real node and a real ganache, with checkpoints the real `ledger anchor`
/// wrote: a random anchored height verifies (exit 0); a height past the last checkpoint does not (exit 1); and once our
/// stored header at the checkpoint is changed on disk, the height no longer verifies (exit 1).
/// </summary>
[NonParallelizable]
public class AnchorVerifyCommandTests
{
    private const ulong Every = 3;

    [Test]
    public async Task Verify_confirms_an_anchored_height_and_fails_once_our_stored_header_changes()
    {
        using var devnet = new DevnetFixture();
        using var ganache = await GanacheNode.StartAsync();
        var (_, contract, config, store) = await AnchorCrashTests.SetUpAnchoringAsync(devnet, ganache, Every);
        var genesis = Path.Combine(devnet.Directory.FullName, "genesis.json");

        ulong anchoredUpTo;
        using (var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig()))
        {
            await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
            using var channel = devnet.Channel();
            var rpc = devnet.Client(channel);
            using var anchor = LedgerProcess.StartIn(devnet.Directory.FullName, "anchor", "--config", config);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!(File.Exists(store.Path) && store.Load().LastConfirmed >= 3 * Every))
            {
                Assert.That(anchor.HasExited, Is.False, anchor.Output);
                if (DateTime.UtcNow > deadline) Assert.Fail($"no three checkpoints anchored:\n{anchor.Output}");
                try
                {
                    await rpc.SubmitAsync(DevnetFixture.Submit(devnet.NewRegistration().Envelope));
                }
                catch (RpcException)
                {
                }
                await ganache.MineAsync();
                await Task.Delay(50);
            }
            Assert.That(anchor.Stop(TimeSpan.FromSeconds(10)), Is.Zero, anchor.Output);
            anchoredUpTo = store.Load().LastConfirmed;

            var height = (ulong)new Random().Next(1, (int)anchoredUpTo + 1);
            var ok = Verify(devnet, genesis, ganache, contract, height);
            Assert.That(ok.ExitCode, Is.Zero, ok.StdErr);
            Assert.That(ok.StdOut, Does.Contain($"anchored: block {height} of chain {devnet.ChainId} is covered by checkpoint"));
            Assert.That(ok.StdOut, Does.Contain("sealed by 1 of the 1 validators of its height"));

            var beyond = Verify(devnet, genesis, ganache, contract, anchoredUpTo + 1000);
            Assert.That(beyond.ExitCode, Is.EqualTo(1));
            Assert.That(beyond.StdErr.Trim(), Does.Contain("CheckpointNotAnchored").And.Not.Contain("\n"));

            var deep = Verify(devnet, genesis, ganache, contract, height, confirmations: 1_000_000);
            Assert.That(deep.ExitCode, Is.EqualTo(1));
            Assert.That(deep.StdErr, Does.Contain("InsufficientConfirmations"));
            Assert.That(node.Stop(TimeSpan.FromSeconds(30)), Is.Zero);
        }

        // Our stored header at the last checkpoint changes (its time, one millisecond), the certificate left as it was.
        var data = Ledger.Node.Config.NodeConfig.Load(devnet.NodeConfig());
        using (var kv = new LiteDbKeyValueStore(Path.Combine(data.Resolve(data.DataDir), "ledger.db")))
        {
            var key = BlockStoreKeys.ForBlock(anchoredUpTo);
            var block = Block.Decode(kv.Get(key)!);
            var changed = new Block
            {
                Header = block.Header with { Timestamp = block.Header.Timestamp + 1 },
                Transactions = block.Transactions,
                Receipts = block.Receipts,
                Commit = block.Commit,
            };
            var batch = new WriteBatch();
            batch.Put(key, changed.Encode());
            kv.Write(batch);
        }
        using (var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig()))
        {
            await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
            var failed = Verify(devnet, genesis, ganache, contract, anchoredUpTo - 1);
            Assert.That(failed.ExitCode, Is.EqualTo(1), failed.StdOut);
            Assert.That(failed.StdErr, Does.Contain("InvalidBlockHash"));
            Assert.That(failed.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        }
    }

    private static ProcessRunner.Outcome Verify(DevnetFixture devnet, string genesis, GanacheNode ganache, string contract, ulong height, ulong confirmations = 2) =>
        AnchorCrashTests.Ledger(new Dictionary<string, string>(), "anchor", "verify", "--height", height.ToString(CultureInfo.InvariantCulture),
            "--rpc", ganache.Url.ToString(), "--contract", contract, "--genesis", genesis, "--node", devnet.GrpcAddress().ToString(), "--transport-ca", Path.Combine(devnet.Directory.FullName, "transport-ca.pem"),
            "--confirmations", confirmations.ToString(CultureInfo.InvariantCulture), "--evm-chain-id", GanacheNode.ChainId.ToString(CultureInfo.InvariantCulture));
}
