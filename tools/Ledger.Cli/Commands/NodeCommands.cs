using System.CommandLine;
using System.Runtime.InteropServices;
using Ledger.Core;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Ledger.Cli.Setup;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger node</c> (one validator) and <c>ledger devnet</c> (a local network in one directory).</summary>
public static class NodeCommands
{
    /// <summary><c>ledger node sync-state</c>: join from a recent certified block's state instead of replaying from genesis.</summary>
    private static Command SyncState(CliContext context)
    {
        var config = CliOptions.Required("--config", "FILE", "the joining node's config.json; its data directory must be empty (or hold an unfinished sync)");
        var height = CliOptions.OptionalULong("--height", "H", "the certified height to join at (default: the peer's head)");
        var command = new Command("sync-state", "fill the node's empty data directory with the state of a recent certified block from its peers (observer: upstream), checked against the block's state root; then start the node, it follows from there")
            { config, height };
        command.SetAction(async (p, cancellationToken) =>
        {
            var loaded = NodeConfig.Load(p.GetValue(config)!);
            using var loggers = Microsoft.Extensions.Logging.LoggerFactory.Create(LogFormat.Configure(loaded.LogFormat ?? LogFormat.Text));
            var result = await Ledger.Node.Sync.NodeStateSync.RunAsync(loaded, p.GetValue(height), loggers, cancellationToken);
            context.Out.WriteLine($"synced {loaded.Name} to height {result.Height} (block {result.BlockHash}, state root {result.StateRoot}): {result.Entries} state entries, " +
                $"{result.NodesFetched} tree nodes fetched ({result.BytesFetched} bytes), {result.NodesAlreadyHeld} already held, {result.Checkpoints} schedule blocks, " +
                $"{(long)result.Elapsed.TotalMilliseconds} ms; start it with: ledger node --config {p.GetValue(config)}");
            return ExitCode.Ok;
        });
        return command;
    }

    public static IEnumerable<Command> Commands(CliContext context)
    {
        var config = CliOptions.Required("--config", "FILE", "the node's config.json (network init writes one per validator)");
        var insecure = CliOptions.Flag("--insecure", "plaintext HTTP/2 and HTTP/1.1 on both ports and to the peers, for debugging (TLS otherwise)");
        var logFormat = CliOptions.LogFormatOption("the config's logFormat, else text");
        var node = new Command("node", "run one validator (or observer): gRPC LedgerService, /healthz and /metrics, over TLS") { config, insecure, logFormat };
        node.SetAction(p =>
        {
            var loaded = NodeConfig.Load(p.GetValue(config)!);
            if (p.GetValue(insecure)) loaded = loaded with { Insecure = true };
            var format = p.GetValue(logFormat) ?? loaded.LogFormat ?? LogFormat.Text;
            if (!LogFormat.Names.Contains(format)) throw new UsageException($"{p.GetValue(config)}: logFormat must be one of {string.Join(", ", LogFormat.Names)}, got '{format}'");
            return RunUntilStopped(context, loaded, p.GetValue(config)!, format);
        });
        node.Subcommands.Add(BackupCommands.Backup(context));
        node.Subcommands.Add(BackupCommands.Restore(context));
        node.Subcommands.Add(SyncState(context));
        yield return node;

        var dir = new Option<string>("--dir") { HelpName = "DIR", Description = "the network's directory, relative to where you stand", DefaultValueFactory = _ => "devnet" };
        var validators = CliOptions.OptionalInt("--validators", "N", 1, 22, "validators (default 4); a resumed devnet must be given its own count");
        var basePort = CliOptions.OptionalInt("--base-port", "P", 1024, 65000, "first port: two per validator, two for the signer, then the explorer; the signer's CA process after every other (default 7600)");
        var kdf = CliOptions.OptionalInt("--kdf-iterations", "N", 1, Crypto.KeyFileOptions.MaximumIterations, "PBKDF2 iterations of new key files (fewer than the default only for tests)");
        var devnetInsecure = CliOptions.Flag("--insecure", "every listener and peer link in plaintext, for debugging (the devnet runs with TLS otherwise)");
        var devnetLogFormat = CliOptions.LogFormatOption();
        var anchor = CliOptions.Flag("--anchor", "also run a local EVM node (ganache from anchor/node_modules) and `ledger anchor`, checkpointing every 10 blocks");
        var analytics = CliOptions.Flag("--analytics", "also run PostgreSQL (scripts/postgres.sh, Debian's postgresql), `ledger indexer` and `ledger analytics`, and the explorer's bureau dashboard over them");
        var devnet = new Command("devnet", "set up (once) and run a local network in DIR: the validators, the first city's CA process and signer, and the explorer, as child processes restarted when they die")
            { dir, validators, basePort, kdf, devnetInsecure, devnetLogFormat, anchor, analytics };
        devnet.SetAction(p => Devnet(p.GetValue(dir)!, p.GetValue(validators), p.GetValue(basePort), p.GetValue(kdf), p.GetValue(devnetInsecure), p.GetValue(devnetLogFormat),
            p.GetValue(anchor), p.GetValue(analytics), context));
        yield return devnet;
    }

    private static int Devnet(string dir, int? validators, int? basePort, int? kdf, bool insecure, string? logFormat, bool anchor, bool analytics, CliContext context)
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
        var caServicesDirectory = Path.Combine(directory, NetworkLayout.CaServicesDirectory);
        string[] caServices = Directory.Exists(caServicesDirectory)
            ? [.. Directory.EnumerateDirectories(caServicesDirectory).Select(d => Path.Combine(d, NetworkLayout.CaServiceConfig)).Where(File.Exists).Order(StringComparer.Ordinal)]
            : [];
        if (signers.Length > 0 && caServices.Length == 0)
            throw new UsageException($"{directory} was set up before the signer's CA process existed (no {NetworkLayout.CaServicesDirectory}/): set up a new devnet with another --dir");
        if (configs.Length == 0) throw new UsageException($"{directory} holds no node configs; use another --dir");
        // network init numbers the ports from the province's validator: two per validator, two for the signer, then
        // the explorer, which reads from the province's node.
        var province = configs.MinBy(c => DevnetProcesses.Port(c.GrpcListen))!;
        var explorerPort = DevnetProcesses.Port(province.GrpcListen) + 2 * configs.Length + 2;
        string[] extra = logFormat is null ? [] : ["--log-format", logFormat];
        if (insecure) context.Out.WriteLine("--insecure: every listener and peer link in plaintext (debugging only)");
        // With --anchor, the EVM node takes the port after the explorer's.
        var anchoring = anchor ? DevnetAnchor.Services(directory, province, explorerPort + 1, insecure, kdf, context) : [];
        // With --analytics, PostgreSQL and the analytics service take the two ports after the EVM node's.
        var (analysis, analyticsUrl) = analytics
            ? DevnetAnalytics.Services(directory, province, genesisPath, explorerPort + 2, explorerPort + 3, insecure, extra, context)
            : ([], null);
        return DevnetProcesses.Run(context,
            [.. configs.Select(c => DevnetProcesses.Node(c, insecure, extra)), .. caServices.Select(c => DevnetProcesses.CaService(c, insecure, extra)),
             .. signers.Select(s => DevnetProcesses.Signer(s, insecure, extra)),
             .. analysis, DevnetProcesses.Explorer(directory, province, genesisPath, explorerPort, insecure, extra, analyticsUrl), .. anchoring]);
    }

    private static int RunUntilStopped(CliContext context, NodeConfig config, string configPath, string logFormat)
    {
        using var stop = new StopSignal();
        var logging = LogFormat.Configure(logFormat);
        var host = NodeHost.StartAsync(config, logging).GetAwaiter().GetResult();
        using var banner = new Banner(context, logFormat, logging);
        // SIGHUP (systemctl reload): the config's peers are read again; a validator voted in since the start is dialled.
        using var reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            try
            {
                var added = host.ReloadPeers(NodeConfig.Load(configPath));
                banner.Say("reloaded {Config}: {Added}", configPath, added.Count == 0 ? "no new peers" : "peers added: " + string.Join(", ", added));
            }
            catch (Exception e)
            {
                // Whatever went wrong reading it, a reload never stops a running node.
                banner.Say("reload of {Config} refused, the node runs on as before: {Reason}", configPath, e.Message);
            }
        });
        try
        {
            var info = host.Chain.GetChainInfo();
            banner.Say("{Node}: chain {ChainId} height {Height}", config.Name, info.ChainId, info.Height);
            banner.Say("  grpc    {GrpcEndpoint}", host.GrpcEndpoint.ToString().TrimEnd('/'));
            banner.Say("  http    {HttpEndpoint}  (/healthz, /metrics)", host.HttpEndpoint.ToString().TrimEnd('/'));
            if (config.Insecure == true) banner.Say("  INSECURE: plaintext listeners and peer links (debugging only)");
            else banner.Say("  tls     transport CA {TransportCa}; validators use mutual TLS", config.Resolve(config.TransportCa!));
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
