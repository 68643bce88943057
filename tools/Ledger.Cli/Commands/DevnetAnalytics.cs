using System.Globalization;
using System.Net;
using Ledger.Cli.Setup;
using Ledger.Crypto.Transport;
using Ledger.Node.Config;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger devnet --analytics</c>: a PostgreSQL cluster of Debian's package run by the repository's
/// <c>scripts/postgres.sh</c> (the steps the tests' PostgresCluster takes), <c>ledger indexer</c> following the province's
/// node into it with the explorer operator's Observer certificate, and <c>ledger analytics</c> serving it over TLS (a
/// certificate of the devnet's transport CA, made once in DIR/analytics); the explorer then reads its dashboard there.
/// </summary>
internal static class DevnetAnalytics
{
    public const string ScriptVariable = "LEDGER_POSTGRES_SCRIPT";
    private const string PassphraseVariable = "LEDGER_DEVNET_PASSPHRASE";

    /// <summary>$LEDGER_POSTGRES_SCRIPT, else scripts/postgres.sh above this executable or where the user stands.</summary>
    public static string FindScript(CliContext context)
    {
        if (context.Environment(ScriptVariable) is { Length: > 0 } given) return given;
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "scripts", "postgres.sh");
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new UsageException($"--analytics needs the repository's scripts/postgres.sh (run from the repository, or set {ScriptVariable}) and Debian's postgresql");
    }

    /// <summary>The database, the indexer and the service as devnet children (the cluster made on the first run); the service's URL.</summary>
    public static (IReadOnlyList<DevnetProcesses.Service> Services, string Url) Services(string directory, NodeConfig province, string genesisPath, int postgresPort, int servicePort,
        bool insecure, IReadOnlyList<string> extra, CliContext context)
    {
        var script = FindScript(context);
        var analyticsDirectory = Path.Combine(directory, "analytics");
        var cluster = Path.Combine(analyticsDirectory, "postgres");
        Directory.CreateDirectory(analyticsDirectory);
        var (exit, error) = Run("bash", script, "init", cluster);
        if (exit != 0) throw new UsageException($"--analytics: {script} init failed: {error.Trim()}");
        if (error.Trim().Length > 0) context.Out.WriteLine(error.Trim());

        var passphrase = File.ReadAllText(Path.Combine(directory, NetworkLayout.Passphrase)).TrimEnd('\r', '\n');
        var tlsCertificate = Path.Combine(analyticsDirectory, NetworkLayout.TlsCertificate);
        var tlsKey = Path.Combine(analyticsDirectory, NetworkLayout.TlsKey);
        if (!insecure && !File.Exists(tlsCertificate))
        {
            using var transportCa = TransportCertificateAuthority.Load(Path.Combine(directory, NetworkLayout.TransportCa),
                Path.Combine(directory, NetworkLayout.CaDirectory, NetworkLayout.TransportCaKey), passphrase);
            var now = DateTimeOffset.UtcNow;
            using var certificate = transportCa.Issue("analytics", ["localhost", "analytics"], [IPAddress.Loopback, IPAddress.IPv6Loopback], now.AddMinutes(-5), now.AddYears(5));
            TransportCredentials.Save(certificate, tlsCertificate, tlsKey);
        }

        var port = postgresPort.ToString(CultureInfo.InvariantCulture);
        var connection = $"Host=127.0.0.1;Port={port};Username=ledger;Database=ledger";
        var scheme = insecure ? "http" : "https";
        var url = $"{scheme}://127.0.0.1:{servicePort.ToString(CultureInfo.InvariantCulture)}";
        var explorer = Path.Combine(directory, NetworkLayout.ExplorerDirectory);
        string[] weak = province.AllowWeakKdf == true ? ["--allow-weak-kdf"] : [];
        string[] nodeLink = insecure ? ["--insecure"] : ["--transport-ca", Path.Combine(directory, NetworkLayout.TransportCa)];
        string[] serviceTls = insecure ? ["--insecure"] : ["--tls-cert", tlsCertificate, "--tls-key", tlsKey];
        return (
        [
            new DevnetProcesses.Service("postgres", [script, "run", cluster, port], $"127.0.0.1:{port} ({connection})", [(postgresPort, "PostgreSQL")])
            {
                Executable = "bash",
            },
            // The explorer operator's Observer certificate: a node serves whole blocks to observers (a Bureau-run indexer is refused).
            new DevnetProcesses.Service("indexer",
                ["indexer", "--node", $"{scheme}://{province.GrpcListen}", .. nodeLink, "--genesis", genesisPath,
                 "--cert", Path.Combine(explorer, NetworkLayout.ExplorerCertificate), "--key", Path.Combine(explorer, NetworkLayout.ExplorerKey),
                 "--passphrase-env", PassphraseVariable, .. weak, "--postgres", connection, .. extra],
                $"{province.Name}'s blocks into PostgreSQL", [])
            {
                Environment = new Dictionary<string, string> { [PassphraseVariable] = passphrase },
            },
            new DevnetProcesses.Service("analytics", ["analytics", "--postgres", connection, "--genesis", genesisPath, "--urls", url, .. serviceTls, .. extra],
                $"grpc {url} (AnalyticsService)", [(servicePort, "the analytics service")]),
        ], url);
    }

    private static (int ExitCode, string Error) Run(string program, params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info) ?? throw new UsageException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = output.GetAwaiter().GetResult();
        return (process.ExitCode, error);
    }
}
