using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Ledger.Anchor;
using Ledger.Crypto;
using Ledger.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Ledger.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/Ledger.Benchmarks -- anchor [--anchors N]`: gas and wall time per checkpoint
/// anchored by the real AnchorService on a local ganache (one confirmation), against a plain ether transfer sent and
/// awaited from the same account in the same run (21,000 gas; its round trip is the node's floor).
/// </summary>
internal static class AnchorBench
{
    private const string ChainId = "gd-bench";

    private sealed class Source : ICheckpointSource
    {
        public Task<SourcedCheckpoint?> TryGetAsync(ulong height, CancellationToken cancellationToken) =>
            Task.FromResult<SourcedCheckpoint?>(new(new Checkpoint(ChainId, height, Sm3.Hash(BitConverter.GetBytes(height)), Sm3.Hash("validators"u8),
                Sm3.Hash(BitConverter.GetBytes(~height))), (long)height * 1000));

        public Task<long?> BlockTimeAsync(ulong height, CancellationToken cancellationToken) => Task.FromResult<long?>((long)height * 1000);

        // One checkpoint per height (an interval no chain may vote: the bench measures anchors back to back).
        public Task<AnchorInterval> GetIntervalAsync(CancellationToken cancellationToken) => Task.FromResult(new AnchorInterval(ulong.MaxValue / 2,
            new Ledger.Core.Governance.ParameterValues(new Dictionary<string, ulong>
            {
                [Ledger.Core.Governance.ChainParameter.AnchorIntervalBlocks] = 1,
                [Ledger.Core.Governance.ChainParameter.AnchorIntervalSeconds] = 1_000_000,
            }, Ledger.Core.Governance.ParameterSchedule.Empty)));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var i = Array.IndexOf(args, "--anchors");
        var anchors = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 50;
        var directory = Directory.CreateTempSubdirectory("ledger-anchor-bench-");
        using var ganache = await GanacheNode.StartAsync();
        try
        {
            var writer = EthECKey.GenerateKey();
            await ganache.FundAsync(writer.GetPublicAddress(), 100m);
            var contract = await EvmAnchorChain.DeployAsync(ganache.Url.ToString(), GanacheNode.ChainId, new EthECKey(GanacheNode.FunderKey), writer.GetPublicAddress());

            // Baseline: ether transfers from the same account, each sent and awaited (ganache mines it at once).
            var web3 = new Web3(new Account(writer, new BigInteger(GanacheNode.ChainId)), ganache.Url.ToString());
            web3.TransactionManager.UseLegacyAsDefault = true;
            var transfers = anchors;
            var baseline = Stopwatch.StartNew();
            for (var n = 0; n < transfers; n++)
                await web3.Eth.GetEtherTransferService().TransferEtherAndWaitForReceiptAsync(GanacheNode.FunderAddress, 0.001m);
            var transferMs = baseline.Elapsed.TotalMilliseconds / transfers;

            // Anchors: the service itself, one checkpoint per height, one confirmation, polling every 10 ms.
            var options = new AnchorOptions
            {
                Node = "https://unused", Rpc = ganache.Url.ToString(), EvmChainId = GanacheNode.ChainId, Contract = contract,
                KeyFile = "unused", PassphraseEnv = "UNUSED", StateFile = Path.Combine(directory.FullName, "state.json"),
                Confirmations = 1, PollMs = 10, RetryMinMs = 10, RetryMaxMs = 100,
            };
            var store = new AnchorStateStore(options.StateFile);
            var service = new AnchorService(options, new Source(), new EvmAnchorChain(options.Rpc, GanacheNode.ChainId, contract, writer), store,
                NullLogger<AnchorService>.Instance);
            using var stop = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            var run = Task.Run(() => service.RunAsync(ChainId, stop.Token));
            while (!File.Exists(store.Path) || store.Load().LastConfirmed < (ulong)anchors)
            {
                if (run.IsFaulted) throw run.Exception!;
                await Task.Delay(5);
            }
            var anchorMs = clock.Elapsed.TotalMilliseconds / anchors;
            await stop.CancelAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }
            var receipts = store.Load().Receipts;
            var gas = receipts.Select(r => (double)r.GasUsed).ToArray();
            var firstGas = gas[0];
            var steadyGas = gas.Skip(1).Average();

            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine($"anchors: {anchors} (Checkpoints on ganache 7.9.2, one confirmation, service polling every 10 ms)");
            Console.WriteLine();
            Console.WriteLine("| figure | anchor | ether transfer (baseline) | anchor / baseline |");
            Console.WriteLine("|---|---:|---:|---:|");
            Console.WriteLine($"| gas, first checkpoint of a chain | {firstGas:0} | 21000 | {firstGas / 21000:0.00} |");
            Console.WriteLine($"| gas, each later checkpoint | {steadyGas:0} | 21000 | {steadyGas / 21000:0.00} |");
            Console.WriteLine($"| ms per tx, sent to confirmed | {anchorMs:0.0} | {transferMs:0.0} | {anchorMs / transferMs:0.00} |");
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
