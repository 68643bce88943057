using System.Diagnostics;
using Ledger.Node.Config;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger devnet</c>: one child process per service (a <c>ledger node</c> per validator, then the signer and the
/// explorer), their output prefixed with the service's name, all stopped with SIGTERM on Ctrl-C (or when this process
/// is told to stop), and all stopped when one of them exits.
/// </summary>
internal static class DevnetProcesses
{
    /// <summary>One child: its name, the <c>ledger</c> arguments that run it, and the endpoints it serves.</summary>
    public sealed record Service(string Name, IReadOnlyList<string> Arguments, string Endpoints);

    public static Service Node(NodeConfig config, bool insecure)
    {
        var scheme = Scheme(insecure);
        return new(config.Name,
            ["node", "--config", Path.Combine(config.BaseDirectory, "config.json"), .. Insecure(insecure)],
            $"grpc {scheme}://{config.GrpcListen}, http {scheme}://{config.HttpListen} (/healthz, /metrics)");
    }

    public static Service Signer(string configPath, bool insecure)
    {
        var config = Ledger.Signer.SignerConfig.Load(configPath);
        var scheme = Scheme(insecure);
        return new(config.Name, ["signer", "--config", configPath, .. Insecure(insecure)],
            $"grpc {scheme}://{config.GrpcListen} (SignerService), http {scheme}://{config.HttpListen} (/healthz, /metrics)");
    }

    /// <summary>The explorer over the province's node, with the devnet's explorer/tls.pem and the transport CA pinned.</summary>
    public static Service Explorer(string directory, NodeConfig node, string genesisPath, int port, bool insecure)
    {
        var scheme = Scheme(insecure);
        var url = $"{scheme}://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        string[] tls = insecure
            ? ["--insecure"]
            :
            [
                "--tls-cert", Path.Combine(directory, Setup.NetworkLayout.ExplorerDirectory, Setup.NetworkLayout.TlsCertificate),
                "--tls-key", Path.Combine(directory, Setup.NetworkLayout.ExplorerDirectory, Setup.NetworkLayout.TlsKey),
                "--transport-ca", Path.Combine(directory, Setup.NetworkLayout.TransportCa),
            ];
        return new("explorer", ["explorer", "--node", $"{scheme}://{node.GrpcListen}", "--genesis", genesisPath, "--urls", url, .. tls],
            $"{url} (pages and /api, over {node.Name}'s gRPC)");
    }

    private static string Scheme(bool insecure) => insecure ? "http" : "https";

    private static string[] Insecure(bool insecure) => insecure ? ["--insecure"] : [];

    public static int Run(CliContext context, IReadOnlyList<Service> services)
    {
        using var stop = new StopSignal();

        var children = new List<(Service Service, Process Process)>();
        var output = TextWriter.Synchronized(context.Out);
        try
        {
            foreach (var service in services)
            {
                var process = Start(service, output);
                children.Add((service, process));
                output.WriteLine($"{service.Name}: pid {process.Id}, {service.Endpoints}");
            }
            output.WriteLine($"running {children.Count} processes; Ctrl-C stops them all");
            while (!stop.IsStopped)
            {
                var exited = children.FirstOrDefault(c => c.Process.HasExited);
                if (exited.Process is not null)
                {
                    output.WriteLine($"{exited.Service.Name} exited with code {exited.Process.ExitCode}; stopping the devnet");
                    break;
                }
                stop.Wait(TimeSpan.FromMilliseconds(250));
            }
        }
        finally
        {
            foreach (var (_, process) in children.Where(c => !c.Process.HasExited))
                using (Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) { }
            foreach (var (_, process) in children)
            {
                if (!process.WaitForExit(TimeSpan.FromSeconds(15))) process.Kill();
                process.Dispose();
            }
            output.WriteLine("stopped");
        }
        return ExitCode.Ok;
    }

    private static Process Start(Service service, TextWriter output)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the ledger executable");
        var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // Run as `dotnet ledger.dll`: the host is dotnet and the program is this assembly.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(DevnetProcesses).Assembly.Location);
        foreach (var argument in service.Arguments) info.ArgumentList.Add(argument);
        info.Environment[ParentWatch.Variable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {service.Name}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine($"[{service.Name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine($"[{service.Name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
