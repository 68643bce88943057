using System.CommandLine;
using Ledger.Signer;
using Ledger.Signer.Hosting;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger signer --config FILE</c>: the bureau's signer service, until SIGINT or SIGTERM.</summary>
public static class SignerCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var config = CliOptions.Required("--config", "FILE", "the signer's config.json (network init writes one under signers/<city>/)");
        var insecure = CliOptions.Flag("--insecure", "plaintext listeners and node link, for debugging (TLS otherwise: PINs cross these ports)");
        var signer = new Command("signer", "run a city bureau's signer service: custodial keys, intent confirmation, certificates, audit log") { config, insecure };
        signer.SetAction(p => Run(p.GetValue(config)!, p.GetValue(insecure), context));
        yield return signer;
    }

    private static int Run(string configPath, bool insecure, CliContext context)
    {
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
