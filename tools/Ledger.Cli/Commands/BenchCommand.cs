using Ledger.Cli.Bench;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger bench --dir DEVNET [--node URL] [--txs N] [--concurrency C] [--validators V] [--rate R]</c>.</summary>
public static class BenchCommand
{
    public static int Run(Arguments args, CliContext context)
    {
        var directory = args.Optional("dir") ?? "devnet";
        var node = args.Optional("node") ?? "http://127.0.0.1:7600";
        var transactions = args.Int("txs", 5000, 1, 1_000_000);
        var concurrency = args.Int("concurrency", 128, 1, 10_000);
        var cryptoSeconds = args.Int("crypto-seconds", 3, 1, 60);
        var validatorsOption = args.Optional("validators") is null ? (int?)null : args.Int("validators", 1, 1, 64);
        var rate = args.Int("rate", 0, 0, 1_000_000);
        args.EnsureAllRead();
        if (!Uri.TryCreate(node, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--node must be an http:// URL, got '{node}'");

        using var identity = LoadIdentity.FromNetworkDirectory(directory);
        // By default every validator of the network runs on this machine (a devnet).
        var validators = validatorsOption ?? identity.Validators;
        var report = new BenchRunner(identity, uri, new BenchOptions(transactions, concurrency, cryptoSeconds, validators, rate), context.Out)
            .RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        context.Out.WriteLine(report.ToMarkdown());
        return report.Committed == 0 ? ExitCode.Negative : ExitCode.Ok;
    }
}
