using Ledger.Core;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Ledger.Cli.Setup;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger node</c> (one validator) and <c>ledger devnet</c> (a local network in one directory).</summary>
public static class NodeCommands
{
    public static int Node(Arguments args, CliContext context)
    {
        var configPath = args.Required("config");
        var insecure = args.Flag("insecure");
        args.EnsureAllRead();
        var config = NodeConfig.Load(configPath);
        if (insecure) config = config with { Insecure = true };
        return RunUntilStopped(context, config);
    }

    public static int Devnet(Arguments args, CliContext context)
    {
        var directory = Path.GetFullPath(args.Optional("dir") ?? "devnet");
        var validators = args.Optional("validators") is null ? (int?)null : args.Int("validators", 4, 1, 22);
        var basePort = args.Optional("base-port") is null ? (int?)null : args.Int("base-port", 7600, 1024, 65000);
        var kdf = args.Optional("kdf-iterations") is null ? (int?)null : args.Int("kdf-iterations", 0, 1, Crypto.KeyFileOptions.MaximumIterations);
        var insecure = args.Flag("insecure");
        args.EnsureAllRead();

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
