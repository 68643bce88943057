using System.CommandLine;
using Ledger.Cli.Backup;
using Ledger.Node.Config;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger node backup</c> and <c>ledger node restore</c> (subcommands of <c>ledger node</c>, added in NodeCommands).</summary>
public static class BackupCommands
{
    public static Command Backup(CliContext context)
    {
        var config = CliOptions.Required("--config", "FILE", "the running node's config.json: its HTTP port, transport CA, key and passphrase");
        var output = CliOptions.Required("--out", "DIR", "a new or empty directory for the backup");
        var keys = CliOptions.Flag("--include-keys", "also copy the node's key file (encrypted) and TLS key; never the passphrase");
        var url = CliOptions.Optional("--url", "URL", "the node's HTTP endpoint, when not the config's httpListen (e.g. https://10.0.0.5:7601)");
        var backup = new Command("backup", "an online, consistent backup of a running node: its store as of one committed block, its config, genesis and certificates, a manifest with SM3 of each file signed by the node's key")
            { config, output, keys, url };
        backup.SetAction(async (p, cancellationToken) =>
        {
            var loaded = NodeConfig.Load(p.GetValue(config)!);
            Uri? target = null;
            if (p.GetValue(url) is { } text && (!Uri.TryCreate(text, UriKind.Absolute, out target) || target.Scheme is not ("http" or "https")))
                throw new UsageException($"--url '{text}' is not an http(s) URL");
            var manifest = await new NodeBackup(loaded, p.GetValue(output)!, p.GetValue(keys), target, context).RunAsync(cancellationToken);
            context.Out.WriteLine($"backed up {manifest.Node} at height {manifest.Height} (block {manifest.BlockHash}, state root {manifest.StateRoot}) into {Path.GetFullPath(p.GetValue(output)!)}: " +
                $"{manifest.Files.Count} files, {manifest.Files.Sum(f => f.Bytes)} bytes{(manifest.IncludesKeys ? ", keys included" : ", no private keys")}");
            return ExitCode.Ok;
        });
        return backup;
    }

    public static Command Restore(CliContext context)
    {
        var from = CliOptions.Required("--from", "DIR", "a directory written by `ledger node backup`");
        var config = CliOptions.Required("--config", "FILE", "the node's config.json on this machine; its data directory must be empty");
        var restore = new Command("restore", "check a backup (signed manifest, SM3 of every file, the store's head) and put its store into the config's empty data directory")
            { from, config };
        restore.SetAction(p =>
        {
            var loaded = NodeConfig.Load(p.GetValue(config)!);
            var manifest = new NodeRestore(loaded, p.GetValue(from)!).Run();
            context.Out.WriteLine($"restored {manifest.Node} at height {manifest.Height} (block {manifest.BlockHash}) into {loaded.Resolve(loaded.DataDir)}; " +
                $"start it with: ledger node --config {p.GetValue(config)}");
            return ExitCode.Ok;
        });
        return restore;
    }
}
