using System.CommandLine;
using Ledger.Core;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Ledger.Cli.Setup;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger node</c> (one validator) and <c>ledger devnet</c> (a local network in one directory).</summary>
public static class NodeCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var config = CliOptions.Required("--config", "FILE", "the node's config.json (network init writes one per validator)");
        var insecure = CliOptions.Flag("--insecure", "plaintext HTTP/2 and HTTP/1.1 on both ports and to the peers, for debugging (TLS otherwise)");
        var node = new Command("node", "run one validator (or observer): gRPC LedgerService, /healthz and /metrics, over TLS") { config, insecure };
        node.SetAction(p => RunUntilStopped(context, p.GetValue(insecure) ? NodeConfig.Load(p.GetValue(config)!) with { Insecure = true } : NodeConfig.Load(p.GetValue(config)!)));
        yield return node;

        var dir = new Option<string>("--dir") { HelpName = "DIR", Description = "the network's directory, relative to where you stand", DefaultValueFactory = _ => "devnet" };
        var validators = CliOptions.OptionalInt("--validators", "N", 1, 22, "validators (default 4); a resumed devnet must be given its own count");
        var basePort = CliOptions.OptionalInt("--base-port", "P", 1024, 65000, "first port: two per validator, two for the signer, then the explorer (default 7600)");
        var kdf = CliOptions.OptionalInt("--kdf-iterations", "N", 1, Crypto.KeyFileOptions.MaximumIterations, "PBKDF2 iterations of new key files (fewer than the default only for tests)");
        var devnetInsecure = CliOptions.Flag("--insecure", "every listener and peer link in plaintext, for debugging (the devnet runs with TLS otherwise)");
        var devnet = new Command("devnet", "set up (once) and run a local network in DIR: the validators, the first city's signer and the explorer, as child processes")
            { dir, validators, basePort, kdf, devnetInsecure };
        devnet.SetAction(p => Devnet(p.GetValue(dir)!, p.GetValue(validators), p.GetValue(basePort), p.GetValue(kdf), p.GetValue(devnetInsecure), context));
        yield return devnet;
    }

    private static int Devnet(string dir, int? validators, int? basePort, int? kdf, bool insecure, CliContext context)
    {
        var directory = Path.GetFullPath(dir);

        var genesisPath = Path.Combine(directory, NetworkLayout.Genesis);
        if (!File.Exists(genesisPath))
        {
            var result = new NetworkInitializer(new NetworkInitOptions
            {
                Preset = "devnet",
                OutputDirectory = directory,
                Validators = validators ?? 4,
                BasePort = basePort,
                KdfIterations = kdf,
            }).Run();
            context.Out.WriteLine($"initialised devnet {result.Genesis.ChainId} in {directory}");
        }
        else
        {
            context.Out.WriteLine($"resuming the devnet in {directory}");
        }
        var configs = Directory.EnumerateDirectories(Path.Combine(directory, NetworkLayout.NodesDirectory))
            .Select(d => Path.Combine(d, NetworkLayout.NodeConfig))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .Select(NodeConfig.Load)
            .ToArray();
        if (validators is not null && validators != configs.Length)
            throw new UsageException($"{directory} holds a network of {configs.Length} validators, not {validators}; use another --dir");
        var signersDirectory = Path.Combine(directory, NetworkLayout.SignersDirectory);
        string[] signers = Directory.Exists(signersDirectory)
            ? [.. Directory.EnumerateDirectories(signersDirectory).Select(d => Path.Combine(d, NetworkLayout.SignerConfig)).Where(File.Exists).Order(StringComparer.Ordinal)]
            : [];
        if (configs.Length == 0) throw new UsageException($"{directory} holds no node configs; use another --dir");
        // network init numbers the ports from the province's validator: two per validator, two for the signer, then
        // the explorer, which reads from the province's node.
        var province = configs.MinBy(c => ListenPort(c.GrpcListen))!;
        var explorerPort = ListenPort(province.GrpcListen) + 2 * configs.Length + 2;
        if (insecure) context.Out.WriteLine("--insecure: every listener and peer link in plaintext (debugging only)");
        return DevnetProcesses.Run(context,
            [.. configs.Select(c => DevnetProcesses.Node(c, insecure)), .. signers.Select(s => DevnetProcesses.Signer(s, insecure)),
             DevnetProcesses.Explorer(directory, province, genesisPath, explorerPort, insecure)]);
    }

    private static int ListenPort(string hostAndPort) =>
        int.Parse(hostAndPort[(hostAndPort.LastIndexOf(':') + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);

    private static int RunUntilStopped(CliContext context, NodeConfig config)
    {
        using var stop = new StopSignal();
        var host = NodeHost.StartAsync(config).GetAwaiter().GetResult();
        try
        {
            var info = host.Chain.GetChainInfo();
            context.Out.WriteLine($"{config.Name}: chain {info.ChainId} height {info.Height}");
            context.Out.WriteLine($"  grpc    {host.GrpcEndpoint.ToString().TrimEnd('/')}");
            context.Out.WriteLine($"  http    {host.HttpEndpoint.ToString().TrimEnd('/')}  (/healthz, /metrics)");
            context.Out.WriteLine(config.Insecure == true
                ? "  INSECURE: plaintext listeners and peer links (debugging only)"
                : $"  tls     transport CA {config.Resolve(config.TransportCa!)}; validators use mutual TLS");
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
