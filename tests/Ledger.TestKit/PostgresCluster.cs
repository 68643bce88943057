using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ledger.TestKit;

/// <summary>
/// A throw-away PostgreSQL cluster of Debian's <c>postgresql</c> package (never a mock): <c>initdb</c> into a temporary
/// folder, <c>pg_ctl start</c> on a free port of 127.0.0.1 with its socket in that folder, trust authentication for the
/// superuser <see cref="User"/>; stopped (immediate) and deleted on dispose. PostgreSQL refuses to run as root, so under
/// root it runs as the <c>postgres</c> user the package creates (with <c>runuser</c>). <c>scripts/test.sh</c> installs
/// the package when missing; the binaries are found on PATH or under /usr/lib/postgresql/VERSION/bin.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    public const string User = "ledger";

    private readonly string _bin;
    private readonly string? _runAs;
    private int _databases;

    private PostgresCluster(string bin, string? runAs, string directory, int port)
    {
        _bin = bin;
        _runAs = runAs;
        Folder = directory;
        Port = port;
    }

    /// <summary>The cluster's folder: data/, the socket, server.log.</summary>
    public string Folder { get; }

    public int Port { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>A connection string for a database of this cluster (the maintenance database <c>postgres</c> by default).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Pooling=true;Include Error Detail=true";

    /// <summary>Starts a new cluster; settings go to postgres as <c>-c name=value</c>.</summary>
    public static PostgresCluster Start(IReadOnlyDictionary<string, string>? settings = null)
    {
        var bin = FindBinaries();
        var runAs = Environment.UserName == "root" || GetUid() == 0 ? "postgres" : null;
        var directory = Path.Combine(Path.GetTempPath(), "ledger-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (runAs is not null)
        {
            var chown = ProcessRunner.Run("chown", [$"{runAs}:", directory]);
            if (chown.ExitCode != 0) throw new InvalidOperationException($"chown {directory} to {runAs}: {chown.StdErr.Trim()} (is Debian's postgresql installed? it makes the postgres user)");
        }
        var port = FreePort();
        var cluster = new PostgresCluster(bin, runAs, directory, port);
        try
        {
            cluster.Run("initdb", ["-D", cluster.DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
            var options = new List<string> { $"-p {port}", "-c listen_addresses=127.0.0.1", $"-c unix_socket_directories={directory}", "-c max_connections=60" };
            foreach (var (name, value) in settings ?? new Dictionary<string, string>()) options.Add($"-c {name}={value}");
            cluster.Run("pg_ctl", ["-D", cluster.DataDirectory, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o", string.Join(' ', options), "start"]);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>A new, empty database; answers its connection string.</summary>
    public string CreateDatabase(string? name = null)
    {
        name ??= $"test_{Interlocked.Increment(ref _databases)}";
        using var connection = new NpgsqlConnection(ConnectionString());
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    public string ServerLog => File.Exists(Path.Combine(Folder, "server.log")) ? File.ReadAllText(Path.Combine(Folder, "server.log")) : "";

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                Run("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Already gone; the folder is removed all the same.
            }
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Run(string tool, IEnumerable<string> arguments)
    {
        var path = Path.Combine(_bin, tool);
        var outcome = _runAs is null
            ? ProcessRunner.Run(path, arguments, Folder, TimeSpan.FromMinutes(2))
            : ProcessRunner.Run("runuser", ["-u", _runAs, "--", path, .. arguments], Folder, TimeSpan.FromMinutes(2));
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed ({outcome.ExitCode}): {outcome.StdErr.Trim()} {outcome.StdOut.Trim()}\n{ServerLog}");
    }

    /// <summary>The folder of initdb and pg_ctl: PATH first, else the newest /usr/lib/postgresql/VERSION/bin.</summary>
    public static string FindBinaries()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (File.Exists(initdb))
            {
                // Debian links /usr/local/bin/initdb to the versioned folder; the real one finds its siblings there.
                var target = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
                var folder = Path.GetDirectoryName(target)!;
                if (File.Exists(Path.Combine(folder, "pg_ctl"))) return folder;
            }
        }
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var newest = Directory.GetDirectories(root)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null) return Path.Combine(newest.Dir, "bin");
        }
        throw new InvalidOperationException("PostgreSQL is not installed (no initdb on PATH or under /usr/lib/postgresql/*/bin): apt-get install postgresql, or run scripts/test.sh as root");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static uint GetUid()
    {
        var id = ProcessRunner.Run("id", ["-u"]);
        return uint.TryParse(id.StdOut.Trim(), out var uid) ? uid : uint.MaxValue;
    }
}
