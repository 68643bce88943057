using Ledger.Cli.Commands;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Node.Admin;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Ledger.Node.Qbft;

namespace Ledger.Cli.Backup;

/// <summary>
/// <c>ledger node restore</c>: checks a backup — the manifest signed by the node's key (the certificate the config names),
/// every file's size and SM3, the store's head, state root and genesis against the manifest — and only then puts the store
/// into the config's data directory, which must be empty. Any failure is one line and leaves the data directory as it was.
/// </summary>
public sealed class NodeRestore(NodeConfig config, string from)
{
    public BackupManifest Run()
    {
        var source = Path.GetFullPath(from);
        var dataDir = config.Resolve(config.DataDir);
        // The signing watermark may stay: it is what keeps the restored validator from signing again what it signed after the backup.
        var watermark = NodeRuntime.SigningWatermarkPath(config);
        if (Directory.Exists(dataDir) && Directory.EnumerateFileSystemEntries(dataDir).Any(e => Path.GetFullPath(e) != watermark))
            throw new UsageException($"the data directory {dataDir} is not empty: restore only into an empty one (move the old one away first, but keep {SigningWatermarkFile.DefaultFileName} in it)");
        var manifestPath = Path.Combine(source, BackupManifest.FileName);
        if (!File.Exists(manifestPath)) throw new UsageException($"{source} is not a node backup: no {BackupManifest.FileName}");
        var bytes = File.ReadAllBytes(manifestPath);
        var signaturePath = Path.Combine(source, BackupManifest.SignatureFileName);
        if (!File.Exists(signaturePath)) throw Damaged($"{BackupManifest.SignatureFileName} is missing");
        var certificate = LedgerCertificate.FromPem(File.ReadAllText(Existing(config.Certificate, "certificate")));
        if (!certificate.PublicKey.Verify(bytes, File.ReadAllBytes(signaturePath)))
            throw Damaged($"{BackupManifest.FileName} is not signed by {config.Name}'s key (altered, or a backup of another node)");
        var manifest = BackupManifest.Parse(bytes) ?? throw Damaged($"{BackupManifest.FileName} does not parse");
        if (manifest.Format != BackupManifest.CurrentFormat) throw new UsageException($"a backup in format {manifest.Format}; this ledger reads {BackupManifest.CurrentFormat}");
        var genesisBytes = File.ReadAllBytes(Existing(config.Genesis, "genesis"));
        var chainId = GenesisDocument.FromJson(System.Text.Encoding.UTF8.GetString(genesisBytes)).ChainId;
        if (manifest.Node != config.Name || manifest.ChainId != chainId)
            throw new UsageException($"the backup is of node {manifest.Node} on chain {manifest.ChainId}; the config is {config.Name} on {chainId}");

        foreach (var file in manifest.Files)
        {
            if (file.Path.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(file.Path)) throw Damaged($"the manifest names a path outside the backup: {file.Path}");
            var path = Path.Combine(source, file.Path);
            if (!File.Exists(path)) throw Damaged($"{file.Path} is missing");
            var actual = NodeBackup.Describe(source, file.Path);
            if (actual.Bytes != file.Bytes) throw Damaged($"{file.Path} is {actual.Bytes} bytes, the manifest says {file.Bytes}");
            if (actual.Sm3 != file.Sm3) throw Damaged($"{file.Path} has SM3 {actual.Sm3}, the manifest says {file.Sm3}");
        }
        var rocks = manifest.Store == "rocksdb";
        if (manifest.Store is not ("litedb" or "rocksdb")) throw new UsageException($"a backup of a {manifest.Store} store; this ledger restores litedb and rocksdb");
        if (rocks != config.UsesRocksDb)
            throw new UsageException($"the backup holds a {manifest.Store} store but the config says store \"{config.Store ?? "litedb"}\": set store: \"{manifest.Store}\" in the config");
        var location = manifest.StoreLocation;
        var storeFiles = manifest.Files.Where(f => rocks ? f.Path.StartsWith(location + "/", StringComparison.Ordinal) : f.Path == location).ToArray();
        if (storeFiles.Length == 0) throw Damaged($"the manifest lists no {location}");

        Directory.CreateDirectory(dataDir);
        var store = Path.Combine(dataDir, rocks ? NodeRuntime.RocksDbDirectoryName : NodeRuntime.StoreFileName);
        var partial = store + ".restoring";
        try
        {
            if (rocks)
            {
                Directory.CreateDirectory(partial);
                foreach (var file in storeFiles) CopyDurably(Path.Combine(source, file.Path), Path.Combine(partial, Path.GetFileName(file.Path)));
                Directory.Move(partial, store);
            }
            else
            {
                CopyDurably(Path.Combine(source, location), partial);
                File.Move(partial, store);
            }
            StoreSummary summary;
            try
            {
                summary = StoreSummary.Read(store, genesisBytes);
            }
            catch (LedgerException e)
            {
                throw Damaged(e.Message);
            }
            if (summary.Height != manifest.Height || summary.BlockHash.ToString() != manifest.BlockHash || summary.StateRoot.ToString() != manifest.StateRoot)
                throw Damaged($"the store's head is height {summary.Height} ({summary.BlockHash}), the manifest says {manifest.Height} ({manifest.BlockHash})");
        }
        catch
        {
            // Leave the data directory as it was: empty, or holding only the signing watermark.
            foreach (var entry in Directory.EnumerateFileSystemEntries(dataDir).Where(e => Path.GetFullPath(e) != watermark))
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            throw;
        }
        return manifest;
    }

    private static void CopyDurably(string from, string to)
    {
        File.Copy(from, to);
        using var handle = File.OpenHandle(to, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.FlushToDisk(handle);
    }

    private string Existing(string configured, string what)
    {
        var path = config.Resolve(configured);
        return File.Exists(path) ? path : throw new UsageException($"the {what} file {path} (named in the config) does not exist");
    }

    private static NegativeAnswerException Damaged(string what) => new($"backup refused: {what}");
}
