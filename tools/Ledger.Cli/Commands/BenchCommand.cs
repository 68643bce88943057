using System.CommandLine;
using Ledger.Cli.Bench;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger bench --dir DEVNET [--node URL] [--transport-ca PEM] [--insecure] [--txs N] [--concurrency C] [--validators V] [--rate R]
/// [--anonymous]</c>: calls are signed by the load's employer certificate unless --anonymous.
/// </summary>
public static class BenchCommand
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var dir = new Option<string>("--dir") { HelpName = "DEVNET", Description = "the network directory (keys and certificates of the load's identities)", DefaultValueFactory = _ => "devnet" };
        var node = new NodeOptions();
        var txs = CliOptions.Int("--txs", "N", 5000, 1, 1_000_000, "register txs to submit");
        var concurrency = CliOptions.Int("--concurrency", "C", 128, 1, 10_000, "txs in flight");
        var cryptoSeconds = CliOptions.Int("--crypto-seconds", "S", 3, 1, 60, "how long to measure the SM2 verify rate (the baseline)");
        var validators = CliOptions.OptionalInt("--validators", "V", 1, 64, "validators sharing this machine (default: every validator of the network)");
        var rate = CliOptions.Int("--rate", "R", 0, 0, 1_000_000, "offered load in tx/s (0 = as fast as the node takes them)");
        var anonymous = CliOptions.Flag("--anonymous", "unsigned calls (Submit and WaitForCommit's public view): to measure what authenticating calls costs");
        var bench = new Command("bench", "load generator: tx/s, p50/p99 commit latency and the ratio to the crypto bound measured in the same run")
            { dir, txs, concurrency, cryptoSeconds, validators, rate, anonymous };
        node.AddTo(bench);
        // The devnet's own transport CA is pinned unless --transport-ca says otherwise.
        bench.SetAction(p => Run(p.GetValue(dir)!, node.Read(p, context, DevnetCa(p.GetValue(dir)!)), p.GetValue(txs), p.GetValue(concurrency), p.GetValue(cryptoSeconds), p.GetValue(validators), p.GetValue(rate), p.GetValue(anonymous), context));
        yield return bench;
    }

    private static string? DevnetCa(string directory) => Path.Combine(directory, Setup.NetworkLayout.TransportCa) is var ca && File.Exists(ca) ? ca : null;

    private static int Run(string directory, NodeTarget node, int transactions, int concurrency, int cryptoSeconds, int? validatorsOption, int rate, bool anonymous, CliContext context)
    {

        using var identity = LoadIdentity.FromNetworkDirectory(directory);
        // By default every validator of the network runs on this machine (a devnet).
        var validators = validatorsOption ?? identity.Validators;
        var report = new BenchRunner(identity, new Uri(node.Url), node.TransportCa, new BenchOptions(transactions, concurrency, cryptoSeconds, validators, rate, anonymous), context.Out)
            .RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        context.Out.WriteLine(report.ToMarkdown());
        return report.Committed == 0 ? ExitCode.Negative : ExitCode.Ok;
    }
}
