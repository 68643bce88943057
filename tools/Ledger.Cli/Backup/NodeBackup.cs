using System.Net;
using System.Text.Json;
using Ledger.Cli.Commands;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Crypto;
using Ledger.Crypto.Transport;
using Ledger.Node.Admin;
using Ledger.Node.Config;
using Ledger.Node.Hosting;

namespace Ledger.Cli.Backup;

/// <summary>
/// <c>ledger node backup</c>: asks the running node (its admin endpoint, with a request signed by the node's own key)
/// for a consistent copy of its store, checks the copy by opening it, adds the files the node needs to start again —
/// its config, genesis, certificates, CRLs, never a private key unless asked — and writes a signed manifest.
/// The consensus WAL and the tx journal are not copied (see docs/operations.md: what a restored validator may sign).
/// </summary>
public sealed class NodeBackup(NodeConfig config, string output, bool includeKeys, Uri? url, CliContext context)
{
    public const string ConfigDirectory = "config";

    public async Task<BackupManifest> RunAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(output);
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            throw new UsageException($"{directory} is not empty: a backup goes into a new or empty directory");
        var genesisBytes = ReadConfigured(config.Genesis, "genesis");
        var genesis = GenesisDocument.FromJson(System.Text.Encoding.UTF8.GetString(genesisBytes));
        using var key = NodeRuntime.LoadKey(config);

        Directory.CreateDirectory(Path.Combine(directory, "data"));
        var engine = await DownloadAsync(genesis.ChainId, key, directory, cancellationToken);
        var location = engine == "rocksdb" ? BackupManifest.RocksDbStorePath : BackupManifest.StorePath;
        var summary = StoreSummary.Read(Path.Combine(directory, location), genesisBytes);

        // The store's files as they are after the check opened them (RocksDB adds its LOCK and LOG files).
        var files = engine == "rocksdb"
            ? Directory.EnumerateFiles(Path.Combine(directory, location)).Select(f => $"{location}/{Path.GetFileName(f)}").ToList()
            : [location];
        files.AddRange(CopyConfig(directory));
        var manifest = new BackupManifest
        {
            Format = BackupManifest.CurrentFormat,
            Store = engine,
            ChainId = genesis.ChainId,
            Node = config.Name,
            Height = summary.Height,
            BlockHash = summary.BlockHash.ToString(),
            StateRoot = summary.StateRoot.ToString(),
            BlockTime = summary.BlockTime,
            CreatedAt = DateTimeOffset.UtcNow,
            IncludesKeys = includeKeys,
            Files = [.. files.Order(StringComparer.Ordinal).Select(f => Describe(directory, f))],
        };
        var bytes = manifest.ToJsonBytes();
        File.WriteAllBytes(Path.Combine(directory, BackupManifest.FileName), bytes);
        File.WriteAllBytes(Path.Combine(directory, BackupManifest.SignatureFileName), key.Sign(bytes));
        return manifest;
    }

    public static BackupFile Describe(string directory, string relative)
    {
        var path = Path.Combine(directory, relative);
        using var stream = File.OpenRead(path);
        return new BackupFile(relative, stream.Length, Sm3.Hash(stream).ToString());
    }

    /// <summary>The node's HTTP endpoint from its config (a wildcard listen address is reached on loopback).</summary>
    public static Uri HttpAddress(NodeConfig config)
    {
        if (!IPEndPoint.TryParse(config.HttpListen, out var endpoint))
            throw new UsageException($"httpListen '{config.HttpListen}' is not host:port");
        var address = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : endpoint.Address;
        var scheme = config.Insecure == true ? "http" : "https";
        return new Uri($"{scheme}://{new IPEndPoint(address, endpoint.Port)}");
    }

    /// <summary>Streams the node's snapshot into the backup directory (the file, or the checkpoint's files); answers the store's engine.</summary>
    private async Task<string> DownloadAsync(string chainId, Sm2PrivateKey key, string directory, CancellationToken cancellationToken)
    {
        var target = new Uri(url ?? HttpAddress(config), AdminEndpoints.BackupPath);
        using var handler = config.Insecure == true || target.Scheme == Uri.UriSchemeHttp
            ? new SocketsHttpHandler()
            : TransportTrust.Load(config.Resolve(config.TransportCa ?? throw new UsageException("the config names no transportCa to check the node's certificate with"))).CreateHandler();
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var (request, signature) = AdminRequest.Create(AdminEndpoints.BackupAction, chainId, config.Name, DateTimeOffset.UtcNow).Sign(key);
        using var message = new HttpRequestMessage(HttpMethod.Post, target);
        message.Headers.Add(AdminRequest.RequestHeader, request);
        message.Headers.Add(AdminRequest.SignatureHeader, signature);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new UsageException($"cannot reach {config.Name} at {target}: {e.Message}");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new UsageException($"{config.Name} refused the backup ({(int)response.StatusCode}): {await ErrorMessage(response, cancellationToken)}");
            var engine = response.Headers.TryGetValues(AdminEndpoints.StoreEngineHeader, out var values) ? values.FirstOrDefault() ?? "litedb" : "litedb";
            context.Out.WriteLine($"backing up {config.Name} from {target.GetLeftPart(UriPartial.Authority)} ({engine}{(response.Content.Headers.ContentLength is { } size ? $", {size} bytes" : "")})");
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            switch (engine)
            {
                case "litedb":
                {
                    var path = Path.Combine(directory, BackupManifest.StorePath);
                    await using (var file = new FileStream(path + ".partial", FileMode.CreateNew, FileAccess.Write))
                    {
                        await body.CopyToAsync(file, cancellationToken);
                        if (response.Content.Headers.ContentLength is { } length && file.Length != length)
                            throw new UsageException($"the snapshot ended after {file.Length} of {length} bytes");
                        file.Flush(flushToDisk: true);
                    }
                    File.Move(path + ".partial", path);
                    break;
                }
                case "rocksdb":
                {
                    var path = Path.Combine(directory, BackupManifest.RocksDbStorePath);
                    await ExtractAsync(body, path + ".partial", cancellationToken);
                    Directory.Move(path + ".partial", path);
                    break;
                }
                default:
                    throw new UsageException($"{config.Name} sent a snapshot of an engine this ledger does not know: {engine}");
            }
            return engine;
        }
    }

    /// <summary>A RocksDB checkpoint's files from the tar the node streams: regular files with plain names only, each fsynced.</summary>
    private static async Task ExtractAsync(Stream tar, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await using var reader = new System.Formats.Tar.TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var name = entry.Name;
            if (entry.EntryType is not (System.Formats.Tar.TarEntryType.RegularFile or System.Formats.Tar.TarEntryType.V7RegularFile)
                || name.Length == 0 || name != Path.GetFileName(name) || name is "." or "..")
                throw new UsageException($"the snapshot holds an entry that is not a plain file of the store: '{name}'");
            var path = Path.Combine(directory, name);
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            if (entry.DataStream is { } data) await data.CopyToAsync(file, cancellationToken);
            file.Flush(flushToDisk: true);
        }
        if (!Directory.EnumerateFiles(directory).Any()) throw new UsageException("the snapshot ended before any file of the store");
    }

    private static async Task<string> ErrorMessage(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.GetProperty("error").GetProperty("message").GetString() ?? text;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return text.Length > 200 ? text[..200] : text;
        }
    }

    /// <summary>
    /// Copies the files the config names into config/ (flat, by file name) and writes a config.json naming them there,
    /// so config/ is what a fresh machine needs besides the key and its passphrase. Returns the paths written.
    /// </summary>
    private IEnumerable<string> CopyConfig(string directory)
    {
        var target = Path.Combine(directory, ConfigDirectory);
        Directory.CreateDirectory(target);
        var written = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal) { "config.json" };
        string? Copy(string? configured, bool secret = false)
        {
            if (configured is null) return null;
            if (secret && !includeKeys) return Path.GetFileName(configured);
            var source = config.Resolve(configured);
            if (!File.Exists(source)) throw new UsageException($"{source} (named in the config) does not exist");
            var name = Path.GetFileName(source);
            for (var i = 2; !used.Add(name); i++) name = $"{Path.GetFileNameWithoutExtension(source)}-{i}{Path.GetExtension(source)}";
            File.Copy(source, Path.Combine(target, name));
            if (secret && !OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(target, name), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            written.Add($"{ConfigDirectory}/{name}");
            return name;
        }
        var copied = config with
        {
            Genesis = Copy(config.Genesis)!,
            Certificate = Copy(config.Certificate)!,
            IssuerCertificate = Copy(config.IssuerCertificate),
            TlsCertificate = Copy(config.TlsCertificate),
            TransportCa = Copy(config.TransportCa),
            Crls = [.. config.Crls.Select(c => Copy(c)!)],
            Key = Copy(config.Key, secret: true)!,
            TlsKey = Copy(config.TlsKey, secret: true),
            // Never copied: the passphrase stays with the operator.
            PassphraseFile = config.PassphraseFile is null ? null : Path.GetFileName(config.PassphraseFile),
            DataDir = Path.IsPathRooted(config.DataDir) ? config.DataDir : "data",
        };
        File.WriteAllText(Path.Combine(target, "config.json"), copied.ToJson());
        written.Add($"{ConfigDirectory}/config.json");
        return written;
    }

    private byte[] ReadConfigured(string path, string what)
    {
        var full = config.Resolve(path);
        return File.Exists(full) ? File.ReadAllBytes(full) : throw new UsageException($"the {what} file {full} (named in the config) does not exist");
    }
}
