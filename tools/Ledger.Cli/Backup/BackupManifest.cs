using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Cli.Backup;

/// <summary>
/// manifest.json of a node backup: what it holds (each file's size and SM3) and the block its store stops at. The node's
/// key signs the manifest's bytes (manifest.sig), so a restore can tell a damaged or altered backup from a good one.
/// </summary>
public sealed record BackupManifest
{
    public const string FileName = "manifest.json";
    public const string SignatureFileName = "manifest.sig";
    public const string CurrentFormat = "ledger-node-backup/1";

    /// <summary>The store's copy, relative to the backup directory: LiteDB's file.</summary>
    public const string StorePath = "data/ledger.db";

    /// <summary>A RocksDB store's copy: the checkpoint's files in this directory.</summary>
    public const string RocksDbStorePath = "data/ledger.rocksdb";

    /// <summary>The store's engine, "litedb" (absent in backups written before RocksDB was backed up online) or "rocksdb".</summary>
    public string Store { get; init; } = "litedb";

    /// <summary>Where the store is in the backup, by its engine.</summary>
    [JsonIgnore]
    public string StoreLocation => Store == "rocksdb" ? RocksDbStorePath : StorePath;

    public required string Format { get; init; }
    public required string ChainId { get; init; }
    public required string Node { get; init; }
    public required ulong Height { get; init; }
    public required string BlockHash { get; init; }
    public required string StateRoot { get; init; }
    public required DateTimeOffset BlockTime { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required bool IncludesKeys { get; init; }
    public required IReadOnlyList<BackupFile> Files { get; init; }

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    /// <summary>Null when the bytes are not a manifest.</summary>
    public static BackupManifest? Parse(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize<BackupManifest>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One file of a backup: its path relative to the backup directory, size and SM3 (hex).</summary>
public sealed record BackupFile(string Path, long Bytes, string Sm3);
