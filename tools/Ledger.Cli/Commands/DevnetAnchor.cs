using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.Anchor;
using Ledger.Cli.Setup;
using Ledger.Node.Config;
using Nethereum.Signer;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger devnet --anchor</c>: a local EVM node (npm's ganache from anchor/node_modules, mining a block a second,
/// its chain kept in DIR/anchor/evm) and the anchoring service over the province's node. Set up once: an anchoring
/// account (keystore under the devnet's passphrase) funded by ganache's first deterministic account, the Checkpoints
/// contract deployed, DIR/anchor/anchor.json written; the first city's signer certificate (a Bureau) records each
/// anchor on our chain.
/// </summary>
internal static class DevnetAnchor
{
    public const ulong EvmChainId = 1337;
    private const string FunderKey = "0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d";
    private const string FunderAddress = "0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1";
    public const string GanacheVariable = "LEDGER_GANACHE";

    /// <summary>$LEDGER_GANACHE, else anchor/node_modules/.bin/ganache above this executable or where the user stands.</summary>
    public static string FindGanache(CliContext context)
    {
        if (context.Environment(GanacheVariable) is { Length: > 0 } given) return given;
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "anchor", "node_modules", ".bin", "ganache");
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new UsageException($"--anchor needs ganache: run `npm ci` in the repository's anchor/ folder, or set {GanacheVariable}");
    }

    public static string[] GanacheArguments(string database, int port) =>
    [
        "--server.host", "127.0.0.1", "--server.port", port.ToString(CultureInfo.InvariantCulture), "--wallet.deterministic",
        "--chain.chainId", EvmChainId.ToString(CultureInfo.InvariantCulture), "--chain.hardfork", "shanghai",
        "--miner.blockTime", "1", "--database.dbPath", database, "--logging.quiet",
    ];

    /// <summary>The EVM node and the anchoring service as devnet children (setting them up on the first run).</summary>
    public static IReadOnlyList<DevnetProcesses.Service> Services(string directory, NodeConfig province, int evmPort, bool insecure, int? kdf, CliContext context)
    {
        var ganache = FindGanache(context);
        var anchorDirectory = Path.Combine(directory, "anchor");
        var database = Path.Combine(anchorDirectory, "evm");
        var config = Path.Combine(anchorDirectory, "anchor.json");
        var rpc = $"http://127.0.0.1:{evmPort.ToString(CultureInfo.InvariantCulture)}";
        if (!File.Exists(config))
        {
            Directory.CreateDirectory(database);
            SetUp(ganache, database, evmPort, rpc, directory, anchorDirectory, config, province, insecure, kdf, context);
        }
        return
        [
            new DevnetProcesses.Service("evm", ["anchor", "evm-node", "--ganache", ganache, "--db", database, "--port", evmPort.ToString(CultureInfo.InvariantCulture)],
                $"{rpc} (ganache, EVM chain {EvmChainId}, a block a second)", [(evmPort, "the EVM node")]),
            new DevnetProcesses.Service("anchor", ["anchor", "--config", config], $"checkpoints to {rpc}, state in {Path.Combine(anchorDirectory, "anchor-state.json")}", []),
        ];
    }

    private static void SetUp(string ganache, string database, int port, string rpc, string directory, string anchorDirectory, string config, NodeConfig province,
        bool insecure, int? kdf, CliContext context)
    {
        using var evm = StartGanache(ganache, database, port);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!Answers(http, rpc))
            {
                if (evm.HasExited || DateTime.UtcNow > deadline) throw new UsageException($"ganache ({ganache}) did not start on port {port}");
                Thread.Sleep(200);
            }
            var passphrase = File.ReadAllText(Path.Combine(directory, NetworkLayout.Passphrase)).TrimEnd('\r', '\n');
            var keyFile = Path.Combine(anchorDirectory, "anchor.key");
            var address = File.Exists(keyFile) ? AnchorKeyFile.ReadAddress(keyFile) : AnchorKeyFile.Create(keyFile, passphrase, 16_384);
            Rpc(http, rpc, "eth_sendTransaction", new { from = FunderAddress, to = address, value = "0x56bc75e2d63100000" }); // 100 ether
            var contract = EvmAnchorChain.DeployAsync(rpc, EvmChainId, new EthECKey(FunderKey), address).GetAwaiter().GetResult();
            var signer = Directory.EnumerateDirectories(Path.Combine(directory, NetworkLayout.SignersDirectory)).Order(StringComparer.Ordinal).FirstOrDefault();
            var options = new AnchorOptions
            {
                Node = $"{(insecure ? "http" : "https")}://{province.GrpcListen}",
                TransportCa = insecure ? null : Path.Combine("..", NetworkLayout.TransportCa),
                Insecure = insecure,
                Rpc = rpc,
                EvmChainId = EvmChainId,
                Contract = contract,
                KeyFile = "anchor.key",
                PassphraseFile = Path.Combine("..", NetworkLayout.Passphrase),
                StateFile = "anchor-state.json",
                Confirmations = 3,
                RecorderKeyFile = signer is null ? null : Path.GetRelativePath(anchorDirectory, Path.Combine(signer, "signer.key")),
                RecorderCertificate = signer is null ? null : Path.GetRelativePath(anchorDirectory, Path.Combine(signer, "signer.pem")),
                RecorderPassphraseFile = signer is null ? null : Path.Combine("..", NetworkLayout.Passphrase),
                RecorderAllowWeakKdf = kdf is < Ledger.Crypto.KeyFileOptions.MinimumIterations,
            };
            File.WriteAllText(config, options.ToJson());
            context.Out.WriteLine($"anchoring set up: contract {contract} on EVM chain {EvmChainId} ({rpc}), account {address}");
        }
        finally
        {
            Stop(evm);
        }
    }

    public static Process StartGanache(string ganache, string database, int port)
    {
        var info = new ProcessStartInfo(ganache) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in GanacheArguments(database, port)) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new UsageException($"cannot start {ganache}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGTERM (ganache then closes its database), then SIGKILL after 15 s.</summary>
    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            using (Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) { }
            if (!process.WaitForExit(TimeSpan.FromSeconds(15))) process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
    }

    private static bool Answers(HttpClient http, string rpc)
    {
        try
        {
            Rpc(http, rpc, "eth_chainId");
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static JsonNode? Rpc(HttpClient http, string rpc, string method, params object[] parameters)
    {
        using var response = http.PostAsJsonAsync(rpc, new { jsonrpc = "2.0", id = 1, method, @params = parameters }).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult())!;
        if (body["error"] is { } error) throw new UsageException($"ganache: {method}: {error.ToJsonString()}");
        return body["result"];
    }
}
