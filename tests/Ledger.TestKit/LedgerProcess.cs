using System.Diagnostics;
using System.Net.Sockets;

namespace Ledger.TestKit;

/// <summary>A real <c>ledger</c> child process (the built ledger.dll run by dotnet), its output kept for diagnosis.</summary>
public sealed class LedgerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private LedgerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "ledger.dll");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output) return string.Join('\n', _output);
        }
    }

    public static LedgerProcess Start(params string[] args) => StartIn(null, args);

    /// <summary>Starts ledger in <paramref name="workingDirectory"/> (null: this process's), as a user standing there would.</summary>
    public static LedgerProcess StartIn(string? workingDirectory, params string[] args) => StartIn(workingDirectory, null, args);

    /// <summary>As above, with extra environment variables (passphrases for <c>--passphrase-env</c>).</summary>
    public static LedgerProcess StartIn(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add(Executable);
        foreach (var a in args) info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (name, value) in environment) info.Environment[name] = value;
        return new LedgerProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start ledger"));
    }

    /// <summary>
    /// Starts ledger with SIGHUP at its default disposition, as systemd starts a service: a test run under nohup (or any
    /// parent ignoring SIGHUP) would otherwise hand the ignored signal down, and .NET then never sees a reload.
    /// </summary>
    public static LedgerProcess StartWithDefaultSighup(params string[] args)
    {
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        foreach (var a in (string[])["--default-signal=HUP", "dotnet", Executable, .. args]) info.ArgumentList.Add(a);
        return new LedgerProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start ledger"));
    }

    /// <summary>Runs a ledger command to completion.</summary>
    public static (int Exit, string Output) Run(params string[] args) => Run(null, args);

    /// <summary>Runs a ledger command to completion with extra environment variables.</summary>
    public static (int Exit, string Output) Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = StartIn(null, environment, args);
        if (!process._process.WaitForExit(TimeSpan.FromMinutes(2))) throw new TimeoutException($"ledger {string.Join(' ', args)}");
        process._process.WaitForExit();
        return (process._process.ExitCode, process.Output);
    }

    /// <summary>SIGKILL: no chance to flush, close or say goodbye.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then waits for a clean exit.</summary>
    public int Stop(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            if (!_process.WaitForExit(timeout)) Kill();
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>
    /// A port p such that p .. p + count - 1 are free on 127.0.0.1 (nodes' gRPC and HTTP ports, two each), below
    /// Linux's ephemeral range (32768+): a node restarted on its port must not find it taken by some client's
    /// outgoing connection, as a port handed out by bind(0) can be.
    /// </summary>
    public static int FreePortRange(int count)
    {
        var random = new Random();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = random.Next(10_000, 32_000 - count);
            var listeners = new List<TcpListener>();
            try
            {
                for (var p = start; p < start + count; p++)
                {
                    var listener = new TcpListener(System.Net.IPAddress.Loopback, p);
                    listener.Start();
                    listeners.Add(listener);
                }
                return start;
            }
            catch (SocketException)
            {
            }
            finally
            {
                foreach (var l in listeners) l.Stop();
            }
        }
        throw new InvalidOperationException($"no {count} free consecutive ports");
    }

    /// <summary>A port p such that p and p+1 are free on 127.0.0.1 (a node's gRPC and HTTP ports).</summary>
    public static int FreePortPair() => FreePortRange(2);

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 2000) _output.RemoveRange(0, 1000);
        }
    }
}
