using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ledger.Node.Config;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger devnet</c>: one child process per service (a <c>ledger node</c> per validator, then the signer's CA process,
/// the signer and the explorer), their output prefixed with the service's name. A child that dies is restarted after a backoff (1 s,
/// doubling to 30 s, back to 1 s once it has run a minute), with one line saying so, so an operator can kill a validator
/// and watch the others carry on and it come back. All stop with SIGTERM on Ctrl-C (or when this process is told to stop).
/// </summary>
internal static class DevnetProcesses
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Stable = TimeSpan.FromMinutes(1);

    /// <summary>A child that dies this many times in a row within <see cref="QuickFailure"/> of its start is given up on.</summary>
    private const int MaxQuickFailures = 5;

    private static readonly TimeSpan QuickFailure = TimeSpan.FromSeconds(10);

    /// <summary>One child: its name, the <c>ledger</c> arguments that run it, the endpoints it serves and the ports it listens on.</summary>
    public sealed record Service(string Name, IReadOnlyList<string> Arguments, string Endpoints, IReadOnlyList<(int Port, string What)> Ports)
    {
        /// <summary>The program to run; null: this <c>ledger</c> executable.</summary>
        public string? Executable { get; init; }

        /// <summary>Variables added to the child's environment.</summary>
        public IReadOnlyDictionary<string, string>? Environment { get; init; }
    }

    public static Service Node(NodeConfig config, bool insecure, IReadOnlyList<string> extra)
    {
        var scheme = Scheme(insecure);
        return new(config.Name,
            ["node", "--config", Path.Combine(config.BaseDirectory, "config.json"), .. Insecure(insecure), .. extra],
            $"grpc {scheme}://{config.GrpcListen}, http {scheme}://{config.HttpListen} (/healthz, /metrics)",
            [(Port(config.GrpcListen), $"{config.Name}'s gRPC"), (Port(config.HttpListen), $"{config.Name}'s HTTP")]);
    }

    public static Service Signer(string configPath, bool insecure, IReadOnlyList<string> extra)
    {
        var config = Ledger.Signer.SignerConfig.Load(configPath);
        var scheme = Scheme(insecure);
        return new(config.Name, ["signer", "--config", configPath, .. Insecure(insecure), .. extra],
            $"grpc {scheme}://{config.GrpcListen} (SignerService), http {scheme}://{config.HttpListen} (/healthz, /metrics)",
            [(Port(config.GrpcListen), $"the {config.Name} signer's gRPC"), (Port(config.HttpListen), $"the {config.Name} signer's HTTP")]);
    }

    /// <summary>A city's CA process (<c>ledger ca serve</c>): started before its signer, which reaches it over mutual TLS.</summary>
    public static Service CaService(string configPath, bool insecure, IReadOnlyList<string> extra)
    {
        var config = Ledger.Signer.Ca.CaConfig.Load(configPath);
        var scheme = Scheme(insecure);
        return new(config.Name, ["ca", "serve", "--config", configPath, .. Insecure(insecure), .. extra],
            $"grpc {scheme}://{config.GrpcListen} (CaService, internal: its signer only)",
            [(Port(config.GrpcListen), $"the {config.Name} CA process's gRPC")]);
    }

    /// <summary>The explorer over the province's node, with the devnet's explorer/tls.pem and the transport CA pinned.</summary>
    public static Service Explorer(string directory, NodeConfig node, string genesisPath, int port, bool insecure, IReadOnlyList<string> extra, string? analyticsUrl = null)
    {
        var scheme = Scheme(insecure);
        var url = $"{scheme}://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        string[] tls = insecure
            ? ["--insecure"]
            :
            [
                "--tls-cert", Path.Combine(directory, Setup.NetworkLayout.ExplorerDirectory, Setup.NetworkLayout.TlsCertificate),
                "--tls-key", Path.Combine(directory, Setup.NetworkLayout.ExplorerDirectory, Setup.NetworkLayout.TlsKey),
                "--transport-ca", Path.Combine(directory, Setup.NetworkLayout.TransportCa),
            ];
        // The operator's Observer certificate signs the explorer's calls to the node (network init writes it).
        var explorer = Path.Combine(directory, Setup.NetworkLayout.ExplorerDirectory);
        string[] identity = File.Exists(Path.Combine(explorer, Setup.NetworkLayout.ExplorerCertificate))
            ? ["--cert", Path.Combine(explorer, Setup.NetworkLayout.ExplorerCertificate), "--key", Path.Combine(explorer, Setup.NetworkLayout.ExplorerKey),
                "--passphrase-file", Path.Combine(directory, Setup.NetworkLayout.Passphrase), .. node.AllowWeakKdf == true ? new[] { "--allow-weak-kdf" } : [],
                // Staff accounts, if the operator adds any (ledger explorer account add): read when the explorer starts.
                "--accounts", Path.Combine(explorer, Setup.NetworkLayout.ExplorerAccounts)]
            : [];
        // The bureau dashboard, with --analytics: its statistics from the analytics service, asked with the same certificate.
        string[] analytics = analyticsUrl is not null && identity.Length > 0 ? ["--analytics", analyticsUrl] : [];
        return new("explorer", ["explorer", "--node", $"{scheme}://{node.GrpcListen}", "--genesis", genesisPath, "--urls", url, .. tls, .. identity, .. analytics, .. extra],
            $"{url} (pages and /api, over {node.Name}'s gRPC{(analytics.Length > 0 ? "; dashboard at /dashboard" : "")})", [(port, "the explorer")]);
    }

    public static int Port(string hostAndPort) =>
        int.Parse(hostAndPort[(hostAndPort.LastIndexOf(':') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Every port the services need, checked before any starts: a port in use is one line, not a stack trace from each child.</summary>
    public static void RequireFreePorts(IReadOnlyList<Service> services)
    {
        foreach (var (port, what) in services.SelectMany(s => s.Ports))
        {
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
            }
            catch (SocketException)
            {
                throw new UsageException($"port {port} ({what}) is already in use on 127.0.0.1: is this devnet already running? " +
                    "Stop whatever holds the port, or set up another devnet with --dir DIR --base-port P");
            }
        }
    }

    private static string Scheme(bool insecure) => insecure ? "http" : "https";

    private static string[] Insecure(bool insecure) => insecure ? ["--insecure"] : [];

    public static int Run(CliContext context, IReadOnlyList<Service> services)
    {
        RequireFreePorts(services);
        using var stop = new StopSignal();
        var output = TextWriter.Synchronized(context.Out);
        var children = services.Select(s => new Child(s)).ToList();
        var exit = ExitCode.Ok;
        try
        {
            foreach (var child in children)
            {
                child.Start(output);
                output.WriteLine($"{child.Service.Name}: pid {child.Process!.Id}, {child.Service.Endpoints}");
            }
            output.WriteLine($"running {children.Count} processes; a process that dies is restarted; Ctrl-C stops them all");
            while (!stop.IsStopped)
            {
                foreach (var child in children)
                {
                    // Ctrl-C reaches the children too (one process group): their exits then are the stop, not a crash.
                    if (stop.IsStopped) break;
                    if (child.Process is { HasExited: true } dead)
                    {
                        var ran = DateTime.UtcNow - child.StartedAt;
                        child.QuickFailures = ran < QuickFailure ? child.QuickFailures + 1 : 0;
                        if (child.QuickFailures >= MaxQuickFailures)
                        {
                            output.WriteLine($"{child.Service.Name} exited with code {dead.ExitCode} {MaxQuickFailures} times in a row within {QuickFailure.TotalSeconds:0} s of starting; giving up and stopping the devnet");
                            exit = ExitCode.Negative;
                            stop.Cancel();
                            break;
                        }
                        child.Backoff = ran >= Stable ? FirstBackoff : child.Backoff;
                        child.RestartAt = DateTime.UtcNow + child.Backoff;
                        output.WriteLine($"{child.Service.Name} (pid {dead.Id}) exited with code {dead.ExitCode} after {ran.TotalSeconds:0.0} s; restarting it in {child.Backoff.TotalSeconds:0} s");
                        dead.Dispose();
                        child.Process = null;
                        child.Backoff = TimeSpan.FromTicks(Math.Min(child.Backoff.Ticks * 2, MaxBackoff.Ticks));
                    }
                    else if (child.Process is null && DateTime.UtcNow >= child.RestartAt)
                    {
                        child.Start(output);
                        output.WriteLine($"{child.Service.Name}: restarted, pid {child.Process!.Id}");
                    }
                }
                stop.Wait(TimeSpan.FromMilliseconds(250));
            }
        }
        finally
        {
            var running = children.Select(c => c.Process).OfType<Process>().ToArray();
            foreach (var process in running.Where(p => !p.HasExited))
                using (Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) { }
            foreach (var process in running)
            {
                if (!process.WaitForExit(TimeSpan.FromSeconds(15))) process.Kill();
                process.Dispose();
            }
            output.WriteLine("stopped");
        }
        return exit;
    }

    private sealed class Child(Service service)
    {
        public Service Service { get; } = service;
        public Process? Process { get; set; }
        public DateTime StartedAt { get; private set; }
        public DateTime RestartAt { get; set; }
        public TimeSpan Backoff { get; set; } = FirstBackoff;
        public int QuickFailures { get; set; }

        public void Start(TextWriter output)
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the ledger executable");
            var info = new ProcessStartInfo(Service.Executable ?? self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            // Run as `dotnet ledger.dll`: the host is dotnet and the program is this assembly.
            if (Service.Executable is null && Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(DevnetProcesses).Assembly.Location);
            foreach (var (variable, value) in Service.Environment ?? new Dictionary<string, string>()) info.Environment[variable] = value;
            foreach (var argument in Service.Arguments) info.ArgumentList.Add(argument);
            info.Environment[ParentWatch.Variable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"cannot start {Service.Name}");
            var name = Service.Name;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine($"[{name}] {e.Data}"); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine($"[{name}] {e.Data}"); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Process = process;
            StartedAt = DateTime.UtcNow;
        }
    }
}
