using Ledger.Explorer;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger explorer --node URL [--urls URL] [--genesis FILE]</c>: the block explorer, until SIGINT or SIGTERM.</summary>
public static class ExplorerCommand
{
    public static int Run(Arguments args, CliContext context)
    {
        var node = NodeTarget.Read(args, context);
        var insecure = args.Flag("insecure");
        var options = new ExplorerOptions
        {
            NodeUrl = node.Url,
            Urls = args.Optional("urls") ?? (insecure ? "http://127.0.0.1:8080" : "https://127.0.0.1:8080"),
            GenesisPath = args.Optional("genesis"),
            TlsCertificatePath = args.Optional("tls-cert"),
            TlsKeyPath = args.Optional("tls-key"),
            TransportCaPath = args.Optional("transport-ca") ?? context.Environment(NodeTarget.CaVariable),
            Insecure = insecure,
        };
        args.EnsureAllRead();
        if (options.GenesisPath is not null && !File.Exists(options.GenesisPath))
            throw new UsageException($"--genesis {options.GenesisPath}: no such file");
        if (!insecure && (options.TlsCertificatePath is null || options.TlsKeyPath is null))
            throw new UsageException("the explorer serves https: give --tls-cert PEM and --tls-key KEY (or --insecure for plain http, debugging only)");

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
