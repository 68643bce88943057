using Ledger.Signer;
using Ledger.Signer.Hosting;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger signer --config FILE</c>: the bureau's signer service, until SIGINT or SIGTERM.</summary>
public static class SignerCommands
{
    public static int Signer(Arguments args, CliContext context)
    {
        var configPath = args.Required("config");
        var insecure = args.Flag("insecure");
        args.EnsureAllRead();
        var config = SignerConfig.Load(configPath);
        if (insecure)
        {
            // Plaintext everywhere, the node link included: a devnet run with --insecure has no TLS listener to reach.
            config = config with { Insecure = true, NodeUrl = config.NodeUrl?.Replace("https://", "http://", StringComparison.Ordinal) };
        }

        using var stop = new StopSignal();

        var host = SignerHost.StartAsync(config, stop.Token).GetAwaiter().GetResult();
        try
        {
            context.Out.WriteLine($"{config.Name}: signer for chain {config.ChainId}, audit head {host.Service.AuditHead}");
            context.Out.WriteLine($"  grpc    {host.GrpcEndpoint.ToString().TrimEnd('/')}");
            context.Out.WriteLine($"  http    {host.HttpEndpoint.ToString().TrimEnd('/')}  (/healthz, /metrics)");
            context.Out.WriteLine(config.NodeUrl is null ? "  anchoring off (no nodeUrl)" : $"  anchors the audit head on {config.NodeUrl} every {config.AnchorIntervalSeconds} s");
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
