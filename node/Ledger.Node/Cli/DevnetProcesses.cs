using System.Diagnostics;
using System.Runtime.InteropServices;
using Ledger.Node.Config;

namespace Ledger.Node.Cli;

/// <summary>
/// <c>ledger devnet</c> with several validators: one <c>ledger node</c> child process each, their output prefixed
/// with the node's name, all stopped with SIGTERM on Ctrl-C (or when this process is told to stop).
/// </summary>
internal static class DevnetProcesses
{
    public static int Run(CliContext context, IReadOnlyList<NodeConfig> configs)
    {
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });

        var children = new List<(NodeConfig Config, Process Process)>();
        var output = TextWriter.Synchronized(context.Out);
        try
        {
            foreach (var config in configs)
            {
                var process = Start(config, output);
                children.Add((config, process));
                output.WriteLine($"{config.Name}: pid {process.Id}, grpc http://{config.GrpcListen}, http http://{config.HttpListen} (/healthz, /metrics)");
            }
            output.WriteLine($"running {children.Count} validators; Ctrl-C stops them all");
            while (!stop.IsCancellationRequested)
            {
                var exited = children.FirstOrDefault(c => c.Process.HasExited);
                if (exited.Process is not null)
                {
                    output.WriteLine($"{exited.Config.Name} exited with code {exited.Process.ExitCode}; stopping the devnet");
                    break;
                }
                stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250));
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

    private static Process Start(NodeConfig config, TextWriter output)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the ledger executable");
        var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // Run as `dotnet ledger.dll`: the host is dotnet and the program is this assembly.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(DevnetProcesses).Assembly.Location);
        info.ArgumentList.Add("node");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(Path.Combine(config.BaseDirectory, "config.json"));
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {config.Name}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine($"[{config.Name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine($"[{config.Name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
