using Ledger.Explorer;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger explorer --node URL [--urls URL] [--genesis FILE]</c>: the block explorer, until SIGINT or SIGTERM.</summary>
public static class ExplorerCommand
{
    public static int Run(Arguments args, CliContext context)
    {
        var options = new ExplorerOptions
        {
            NodeUrl = args.Required("node"),
            Urls = args.Optional("urls") ?? "http://127.0.0.1:8080",
            GenesisPath = args.Optional("genesis"),
        };
        args.EnsureAllRead();
        if (options.GenesisPath is not null && !File.Exists(options.GenesisPath))
            throw new UsageException($"--genesis {options.GenesisPath}: no such file");

        using var stop = new StopSignal();
        var host = ExplorerHost.StartAsync(options, stop.Token).GetAwaiter().GetResult();
        try
        {
            context.Out.WriteLine($"explorer {host.Url.ToString().TrimEnd('/')}  (node {options.NodeUrl})");
            context.Out.WriteLine(host.TrustAnchor is { } trust
                ? $"  trust anchor: genesis of chain {trust.Genesis.ChainId}, SM3 {trust.FileHash}"
                : "  no --genesis: proofs are checked only against a genesis.json uploaded with them");
            context.Out.WriteLine("running; Ctrl-C stops");
            context.Out.Flush();
            stop.Wait();
            context.Out.WriteLine("stopping");
        }
        finally
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return ExitCode.Ok;
    }
}
