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
        var logFormat = CliOptions.LogFormatOption();
        var signer = new Command("signer", "run a city bureau's signer service: custodial keys, intent confirmation, certificates, audit log") { config, insecure, logFormat };
        signer.SetAction(p => Run(p.GetValue(config)!, p.GetValue(insecure), p.GetValue(logFormat) ?? LogFormat.Text, context));
        yield return signer;
    }

    private static int Run(string configPath, bool insecure, string logFormat, CliContext context)
    {
        var config = SignerConfig.Load(configPath);
        if (insecure)
        {
            // Plaintext everywhere, the node link included: a devnet run with --insecure has no TLS listener to reach.
            config = config with { Insecure = true, NodeUrl = config.NodeUrl?.Replace("https://", "http://", StringComparison.Ordinal) };
        }

        using var stop = new StopSignal();

        var logging = LogFormat.Configure(logFormat);
        var host = SignerHost.StartAsync(config, stop.Token, logging).GetAwaiter().GetResult();
        using var banner = new Banner(context, logFormat, logging);
        try
        {
            banner.Say("{Signer}: signer for chain {ChainId}, audit head {AuditHead}", config.Name, config.ChainId, host.Service.AuditHead);
            banner.Say("  grpc    {GrpcEndpoint}", host.GrpcEndpoint.ToString().TrimEnd('/'));
            banner.Say("  http    {HttpEndpoint}  (/healthz, /metrics)", host.HttpEndpoint.ToString().TrimEnd('/'));
            if (config.NodeUrl is null) banner.Say("  anchoring off (no nodeUrl)");
            else banner.Say("  anchors the audit head on {NodeUrl} every {AnchorIntervalSeconds} s", config.NodeUrl, config.AnchorIntervalSeconds);
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
