using System.CommandLine;
using Ledger.Analytics;
using Ledger.Analytics.Indexing;
using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Genesis;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger indexer</c>: follows the chain into PostgreSQL (facts and dimensions, warnings), as an Observer or a Bureau,
/// until SIGINT or SIGTERM (or <c>--until-height</c>); <c>ledger analytics</c>: serves the statistics and warnings over gRPC.
/// </summary>
public static class AnalyticsCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        yield return Indexer(context);
        yield return Service(context);
    }

    private static Command Indexer(CliContext context)
    {
        var nodeOptions = new NodeOptions();
        var caller = new CallerOptions(required: true);
        var postgres = CliOptions.Required("--postgres", "CONNSTRING", "the PostgreSQL database to index into (Npgsql connection string: Host=...;Database=...;Username=...)");
        var genesis = CliOptions.Required("--genesis", "FILE", "the chain's genesis.json: every block's commit certificate is checked against its validators");
        var until = new Option<ulong?>("--until-height") { HelpName = "N", Description = "stop once block N is indexed (default: follow the chain until stopped)" };
        var logFormat = CliOptions.LogFormatOption();
        var command = new Command("indexer", "follow the chain into PostgreSQL: one fact row per lifecycle event, dimensions, art. 41 and closure-rate warnings")
            { postgres, genesis, until, logFormat };
        nodeOptions.AddTo(command);
        foreach (var option in caller.All) command.Options.Add(option);
        command.SetAction(p =>
        {
            var target = nodeOptions.Read(p, context);
            var genesisDocument = LoadGenesis(p.GetValue(genesis)!);
            var identity = caller.Identity(p, context)!;
            var scope = Scope(identity);
            var format = p.GetValue(logFormat) ?? LogFormat.Text;
            using var stop = new StopSignal();
            var logging = LogFormat.Configure(format);
            using var loggers = LoggerFactory.Create(logging);
            using var banner = new Banner(context, format, logging);
            using var client = target.Connect(new LedgerClientOptions { Identity = identity });
            using var dataSource = DataSource(p.GetValue(postgres)!);
            var store = new FactStore(dataSource, genesisDocument.ChainId, scope);
            var indexer = new ChainIndexer(client, new BlockVerifier(genesisDocument, client.GetValidatorSetAsync), store, loggers.CreateLogger<ChainIndexer>());
            banner.Say("indexing chain {ChainId} from {Node} as {Scope} ({Subject}); Ctrl-C stops", genesisDocument.ChainId, target.Url, scope.Name, identity.Certificate.Subject);
            return Guard(() =>
            {
                try
                {
                    indexer.RunAsync(p.GetValue(until), stop.Token).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (stop.IsStopped)
                {
                }
                banner.Say("stopped after {Blocks} blocks", indexer.BlocksIndexed);
                return ExitCode.Ok;
            });
        });
        return command;
    }

    private static Command Service(CliContext context)
    {
        var postgres = CliOptions.Required("--postgres", "CONNSTRING", "the database an indexer writes");
        var genesis = CliOptions.Required("--genesis", "FILE", "the chain's genesis.json: callers' certificates must chain to its root");
        var urls = CliOptions.Optional("--urls", "URL", "where the gRPC service listens (default https://127.0.0.1:7700; http:// only with --insecure)");
        var tlsCert = CliOptions.Optional("--tls-cert", "PEM", "the service's TLS certificate");
        var tlsKey = CliOptions.Optional("--tls-key", "KEY", "its private key");
        var insecure = CliOptions.Flag("--insecure", "plaintext HTTP/2, for debugging");
        var logFormat = CliOptions.LogFormatOption();
        var command = new Command("analytics", "serve statistics and warnings from the indexer's database over gRPC (ledger.v1.AnalyticsService) to bureaus, scoped to their division")
            { postgres, genesis, urls, tlsCert, tlsKey, insecure, logFormat };
        command.SetAction(p =>
        {
            var genesisDocument = LoadGenesis(p.GetValue(genesis)!);
            var secure = !p.GetValue(insecure);
            var url = p.GetValue(urls) ?? (secure ? "https://127.0.0.1:7700" : "http://127.0.0.1:7700");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new UsageException($"--urls {url} is not an http:// or https:// URL");
            if (secure && uri.Scheme != "https") throw new UsageException($"--urls {url} is plaintext; give an https:// URL, or --insecure for debugging");
            if (secure && (p.GetValue(tlsCert) is null || p.GetValue(tlsKey) is null))
                throw new UsageException("the analytics service serves https: give --tls-cert PEM and --tls-key KEY (or --insecure, debugging only)");
            var format = p.GetValue(logFormat) ?? LogFormat.Text;
            using var stop = new StopSignal();
            var logging = LogFormat.Configure(format);
            using var banner = new Banner(context, format, logging);
            using var dataSource = DataSource(p.GetValue(postgres)!);
            return Guard(() =>
            {
                var host = Cli.Analytics.AnalyticsHost.Build(new Cli.Analytics.AnalyticsHostOptions
                {
                    Url = url,
                    Genesis = genesisDocument,
                    DataSource = dataSource,
                    TlsCertificatePath = secure ? p.GetValue(tlsCert) : null,
                    TlsKeyPath = secure ? p.GetValue(tlsKey) : null,
                }, logging);
                host.StartAsync(stop.Token).GetAwaiter().GetResult();
                banner.Say("analytics service for chain {ChainId} on {Url}; Ctrl-C stops", genesisDocument.ChainId, url);
                stop.Token.WaitHandle.WaitOne();
                host.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
                return ExitCode.Ok;
            });
        });
        return command;
    }

    private static IndexScope Scope(Client.Access.CallerIdentity identity)
    {
        try
        {
            return IndexScope.For(identity.Certificate.Role, identity.Certificate.Division);
        }
        catch (AnalyticsException e)
        {
            throw new UsageException($"--cert: {e.Message}");
        }
    }

    private static GenesisDocument LoadGenesis(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"--genesis {path}: no such file");
        return GenesisDocument.FromJson(FileCommands.ReadText(path));
    }

    private static NpgsqlDataSource DataSource(string connectionString)
    {
        try
        {
            return NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--postgres: {e.Message}");
        }
    }

    /// <summary>What goes wrong against the node or the database is one line: exit 2 for what the user must fix, 1 for a chain that fails verification.</summary>
    private static int Guard(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (AnalyticsException e)
        {
            throw new UsageException(e.Message);
        }
        catch (LedgerClientException e)
        {
            throw new UsageException($"the node refused: {e.Status}: {e.Message}");
        }
        catch (LedgerException e) when (e.Code is ErrorCode.BlockParentMismatch or ErrorCode.InvalidBlockHash or ErrorCode.UnknownValidator or ErrorCode.UnknownValidatorSet
                                          or ErrorCode.InsufficientSeals or ErrorCode.InvalidSeal)
        {
            throw new NegativeAnswerException($"not indexed: {e.Message}");
        }
        catch (NpgsqlException e)
        {
            throw new UsageException($"PostgreSQL: {e.Message}");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new UsageException($"PostgreSQL: {e.Message}");
        }
    }
}
