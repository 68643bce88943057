using Ledger.Cli.Bench;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger bench --dir DEVNET [--node URL] [--txs N] [--concurrency C] [--validators V] [--rate R]</c>.</summary>
public static class BenchCommand
{
    public static int Run(Arguments args, CliContext context)
    {
        var directory = args.Optional("dir") ?? "devnet";
        // The devnet's own transport CA is pinned unless --transport-ca says otherwise.
        var devnetCa = Path.Combine(directory, Setup.NetworkLayout.TransportCa);
        var node = NodeTarget.Read(args, context, defaultCa: File.Exists(devnetCa) ? devnetCa : null);
        var transactions = args.Int("txs", 5000, 1, 1_000_000);
        var concurrency = args.Int("concurrency", 128, 1, 10_000);
        var cryptoSeconds = args.Int("crypto-seconds", 3, 1, 60);
        var validatorsOption = args.Optional("validators") is null ? (int?)null : args.Int("validators", 1, 1, 64);
        var rate = args.Int("rate", 0, 0, 1_000_000);
        args.EnsureAllRead();

        using var identity = LoadIdentity.FromNetworkDirectory(directory);
        // By default every validator of the network runs on this machine (a devnet).
        var validators = validatorsOption ?? identity.Validators;
        var report = new BenchRunner(identity, new Uri(node.Url), node.TransportCa, new BenchOptions(transactions, concurrency, cryptoSeconds, validators, rate), context.Out)
            .RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        context.Out.WriteLine(report.ToMarkdown());
        return report.Committed == 0 ? ExitCode.Negative : ExitCode.Ok;
    }
}
