using System.CommandLine;
using Ledger.Explorer;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger explorer --node URL [--urls URL] [--genesis FILE]</c>: the block explorer, until SIGINT or SIGTERM.</summary>
public static class ExplorerCommand
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var node = CliOptions.Required("--node", "URL", "the node whose gRPC API the explorer reads");
        var urls = new Option<string>("--urls") { HelpName = "URL", Description = "where the explorer listens", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var genesis = CliOptions.Optional("--genesis", "FILE", "genesis.json: the trust anchor proofs are checked against");
        var logFormat = CliOptions.LogFormatOption();
        var explorer = new Command("explorer", "the block explorer: web pages (zh-CN / English) and a JSON API over one node") { node, urls, genesis, logFormat };
        explorer.SetAction(p =>
        {
            var format = p.GetValue(logFormat) ?? LogFormat.Text;
            return Run(new ExplorerOptions { NodeUrl = p.GetValue(node)!, Urls = p.GetValue(urls)!, GenesisPath = p.GetValue(genesis), Logging = LogFormat.Configure(format) }, format, context);
        });
        yield return explorer;
    }

    private static int Run(ExplorerOptions options, string logFormat, CliContext context)
    {
        if (options.GenesisPath is not null && !File.Exists(options.GenesisPath))
            throw new UsageException($"--genesis {options.GenesisPath}: no such file");

        using var stop = new StopSignal();
        var host = ExplorerHost.StartAsync(options, stop.Token).GetAwaiter().GetResult();
        using var banner = new Banner(context, logFormat, options.Logging!);
        try
        {
            banner.Say("explorer {Url}  (node {NodeUrl})", host.Url.ToString().TrimEnd('/'), options.NodeUrl);
            if (host.TrustAnchor is { } trust) banner.Say("  trust anchor: genesis of chain {ChainId}, SM3 {GenesisHash}", trust.Genesis.ChainId, trust.FileHash);
            else banner.Say("  no --genesis: proofs are checked only against a genesis.json uploaded with them");
            banner.Say("running; Ctrl-C stops");
            stop.Wait();
            banner.Say("stopping");
        }
        finally
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return ExitCode.Ok;
    }
}
