using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Core;

namespace Ledger.Node.Config;

/// <summary>
/// A node's config.json. Relative paths are relative to the file's own folder, so a network directory
/// can be moved as a whole.
/// </summary>
public sealed record NodeConfig
{
    public required string Name { get; init; }
    public required string Division { get; init; }
    public required string Genesis { get; init; }
    public required string Key { get; init; }
    public required string Certificate { get; init; }

    /// <summary>
    /// The validator's next key file and certificate, for a re-certification by governance (<c>governance propose
    /// --replace</c>): from the height the Replace takes effect the node decides with them, without a restart. Same
    /// passphrase as <see cref="Key"/>; both or neither.
    /// </summary>
    public string? NextKey { get; init; }

    public string? NextCertificate { get; init; }

    /// <summary>The issuing CA's certificate (PEM), when the node's certificate is not issued by the root.</summary>
    public string? IssuerCertificate { get; init; }

    /// <summary>Where the key file's passphrase comes from: a file (mode 0600) or an environment variable.</summary>
    public string? PassphraseFile { get; init; }

    public string? PassphraseEnv { get; init; }

    /// <summary>Set by <c>network init --kdf-iterations</c> below the floor: the key files are deliberately weak (tests).</summary>
    public bool? AllowWeakKdf { get; init; }

    public required string DataDir { get; init; }

    /// <summary>
    /// The file that records the highest consensus message this validator signed (default: <c>signing.watermark</c> in
    /// the data directory). Keep it where a restore does not replace it: a validator never signs at or below it again.
    /// </summary>
    public string? SigningWatermark { get; init; }

    /// <summary>host:port of the gRPC (HTTP/2) endpoint: LedgerService for clients, PeerService for validators.</summary>
    public required string GrpcListen { get; init; }

    /// <summary>host:port of the HTTP/1.1 endpoint: /healthz and /metrics.</summary>
    public required string HttpListen { get; init; }

    public IReadOnlyList<PeerAddress> Peers { get; init; } = [];

    /// <summary>
    /// The store engine: "litedb" (the default: one file, ledger.db, online backups) or "rocksdb" (a directory,
    /// ledger.rocksdb; smaller on disk and faster at years of history, no online backup yet — docs/benchmarks.md).
    /// </summary>
    public string? Store { get; init; }

    /// <summary>
    /// An observer node's (one run with an Observer certificate) validators to follow and to forward submissions to, as
    /// client addresses (e.g. <c>https://10.0.0.5:7600</c>), tried in order; empty for a validator.
    /// </summary>
    public IReadOnlyList<string> Upstream { get; init; } = [];

    /// <summary>The pool's bounds (optional; see <see cref="MempoolConfig"/>).</summary>
    public MempoolConfig? Mempool { get; init; }

    /// <summary>Console log format of <c>ledger node</c>: "text" (one line per event, UTC time to the ms, level) or "json" (one object per line); --log-format overrides it.</summary>
    public string? LogFormat { get; init; }

    /// <summary>Certificate revocation lists (PEM) issued by the consortium's CAs: a revoked endorser's txs are refused.</summary>
    public IReadOnlyList<string> Crls { get; init; } = [];

    /// <summary>
    /// This node's transport certificate and key (PEM; ECDSA P-256 from the consortium's transport CA): served on both
    /// listeners and presented to peers (mutual TLS).
    /// </summary>
    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>The consortium's transport CA (transport-ca.pem): the only CA peers' and clients' certificates may chain to.</summary>
    public string? TransportCa { get; init; }

    /// <summary>Plaintext HTTP/2 and HTTP/1.1 on every listener and to every peer, for debugging only (<c>ledger node --insecure</c>).</summary>
    public bool? Insecure { get; init; }

    [JsonIgnore]
    public string BaseDirectory { get; init; } = ".";

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>The values <see cref="Store"/> takes.</summary>
    public static readonly IReadOnlyList<string> StoreEngines = ["litedb", "rocksdb"];

    /// <summary>True when the node keeps its store in RocksDB.</summary>
    [JsonIgnore]
    public bool UsesRocksDb => Store == "rocksdb";

    public static NodeConfig Load(string path)
    {
        if (!File.Exists(path)) throw new LedgerException(ErrorCode.MissingField, $"no such config file: {path}");
        try
        {
            var config = JsonSerializer.Deserialize<NodeConfig>(File.ReadAllText(path), Options)
                         ?? throw new LedgerException(ErrorCode.MissingField, $"{path}: empty config");
            if (config.Store is not null && !StoreEngines.Contains(config.Store, StringComparer.Ordinal))
                throw new LedgerException(ErrorCode.InvalidFieldValue, $"{path}: store is \"{config.Store}\"; it is one of {string.Join(", ", StoreEngines)}");
            config.Mempool?.ToOptions(path); // refuses a bad section at load, in one line
            return config with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))! };
        }
        catch (JsonException e)
        {
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"{path}: {e.Message}");
        }
    }
}
