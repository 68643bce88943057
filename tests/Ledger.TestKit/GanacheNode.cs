using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ledger.TestKit;

/// <summary>
/// A real local EVM node: npm's ganache (anchor/package.json pins it; scripts/test.sh runs npm ci there) on a free
/// port, with ganache's deterministic accounts, mining a block per tx and on <see cref="MineAsync"/> only.
/// </summary>
public sealed class GanacheNode : IDisposable
{
    /// <summary>Chain id the tests run ganache with.</summary>
    public const ulong ChainId = 1337;

    /// <summary>Private key of ganache's first deterministic account (well known; 1000 ETH on a fresh chain).</summary>
    public const string FunderKey = "0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d";

    public const string FunderAddress = "0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string? _databasePath;
    private Process? _process;
    private readonly List<string> _output = [];
    private int _id;

    private GanacheNode(int port, string? databasePath)
    {
        Port = port;
        _databasePath = databasePath;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public string Output
    {
        get
        {
            lock (_output) return string.Join('\n', _output);
        }
    }

    /// <summary>anchor/node_modules/.bin/ganache of this checkout.</summary>
    public static string Executable
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("Ledger.sln not found above the test directory");
            var ganache = Path.Combine(dir.FullName, "anchor", "node_modules", ".bin", "ganache");
            if (!File.Exists(ganache))
                throw new InvalidOperationException($"{ganache} is missing: run `npm ci` in anchor/ (scripts/test.sh does)");
            return ganache;
        }
    }

    /// <summary>Starts ganache and waits until it answers; with a database folder its chain survives a restart.</summary>
    public static async Task<GanacheNode> StartAsync(string? databasePath = null, int? port = null)
    {
        var node = new GanacheNode(port ?? LedgerProcess.FreePortPair(), databasePath);
        await node.RestartAsync().ConfigureAwait(false);
        return node;
    }

    /// <summary>(Re)starts the process on the same port and database.</summary>
    public async Task RestartAsync()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("ganache is running");
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "--server.host", "127.0.0.1", "--server.port", Port.ToString(CultureInfo.InvariantCulture),
                     "--wallet.deterministic", "--chain.chainId", ChainId.ToString(CultureInfo.InvariantCulture),
                     "--chain.hardfork", "shanghai", "--miner.blockTime", "0", "--logging.quiet",
                 })
            info.ArgumentList.Add(a);
        if (_databasePath is not null)
        {
            info.ArgumentList.Add("--database.dbPath");
            info.ArgumentList.Add(_databasePath);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start ganache");
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"ganache exited ({_process.ExitCode}): {Output}");
            try
            {
                await CallAsync("eth_chainId").ConfigureAwait(false);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops ganache with SIGTERM (so its database is closed cleanly) and waits for it.</summary>
    public void Stop()
    {
        if (_process is null || _process.HasExited) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<JsonNode?> CallAsync(string method, params object[] parameters)
    {
        var request = new { jsonrpc = "2.0", id = Interlocked.Increment(ref _id), method, @params = parameters };
        using var response = await Http.PostAsJsonAsync(Url, request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false))!;
        if (body["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return body["result"];
    }

    public async Task<ulong> BlockNumberAsync() => ParseQuantity((await CallAsync("eth_blockNumber").ConfigureAwait(false))!.GetValue<string>());

    /// <summary>Mines <paramref name="blocks"/> empty blocks (confirmations for the txs before them).</summary>
    public async Task MineAsync(int blocks = 1)
    {
        for (var i = 0; i < blocks; i++) await CallAsync("evm_mine").ConfigureAwait(false);
    }

    public async Task<string> SnapshotAsync() => (await CallAsync("evm_snapshot").ConfigureAwait(false))!.GetValue<string>();

    /// <summary>Drops every block (and its txs) after the snapshot: a reorg of the unconfirmed tail.</summary>
    public async Task RevertAsync(string snapshot)
    {
        var ok = (await CallAsync("evm_revert", snapshot).ConfigureAwait(false))!.GetValue<bool>();
        if (!ok) throw new InvalidOperationException($"evm_revert {snapshot} refused");
    }

    /// <summary>Number of txs the account has had mined.</summary>
    public async Task<ulong> NonceAsync(string address) =>
        ParseQuantity((await CallAsync("eth_getTransactionCount", address, "latest").ConfigureAwait(false))!.GetValue<string>());

    /// <summary>Sends ether from the first deterministic account (unlocked in ganache) and waits for it to be mined.</summary>
    public async Task FundAsync(string address, decimal ether)
    {
        var wei = new System.Numerics.BigInteger(ether * 1_000_000_000m) * 1_000_000_000;
        await CallAsync("eth_sendTransaction", new { from = FunderAddress, to = address, value = "0x" + wei.ToString("x", CultureInfo.InvariantCulture).TrimStart('0') }).ConfigureAwait(false);
    }

    public static ulong ParseQuantity(string hex) => ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 500) _output.RemoveRange(0, 250);
        }
    }
}
