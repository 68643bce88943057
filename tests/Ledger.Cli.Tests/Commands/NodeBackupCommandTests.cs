namespace Ledger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger node backup</c> and <c>restore</c> refusals that need no running node: one line, exit 2, nothing written.
/// (Backups of running nodes and damaged backups: tests/Ledger.E2E/BackupRestoreTests.cs.)
/// </summary>
public class NodeBackupCommandTests
{
    private readonly CliHarness _cli = new();
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void Init()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-backup-cli-");
        var (exit, _, error) = _cli.Run("network", "init", "--preset", "devnet", "--validators", "1", "--out", _dir.FullName, "--kdf-iterations", "1000",
            "--base-port", "1030");
        Assert.That(exit, Is.Zero, error);
    }

    [TearDown]
    public void Cleanup() => _dir.Delete(recursive: true);

    private string Config => Path.Combine(_dir.FullName, "nodes", "guangdong", "config.json");

    [Test]
    public void Backup_of_a_node_that_is_not_running_is_one_line_and_leaves_no_partial_store()
    {
        var output = Path.Combine(_dir.FullName, "backup");
        var (exit, _, error) = _cli.Run("node", "backup", "--config", Config, "--out", output);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("ledger: cannot reach guangdong at https://127.0.0.1:1031/admin/backup"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(Directory.Exists(Path.Combine(output, "data")) && Directory.EnumerateFiles(Path.Combine(output, "data")).Any(), Is.False);
    }

    [Test]
    public void Backup_into_a_non_empty_directory_and_a_bad_url_are_refused()
    {
        var output = Directory.CreateDirectory(Path.Combine(_dir.FullName, "old-backup")).FullName;
        File.WriteAllText(Path.Combine(output, "manifest.json"), "{}");
        var (exit, _, error) = _cli.Run("node", "backup", "--config", Config, "--out", output);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo($"ledger: {output} is not empty: a backup goes into a new or empty directory"));
        (exit, _, error) = _cli.Run("node", "backup", "--config", Config, "--out", Path.Combine(_dir.FullName, "b"), "--url", "ftp://x");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo("ledger: --url 'ftp://x' is not an http(s) URL"));
    }

    [Test]
    public void Restore_from_a_directory_that_is_not_a_backup_is_refused_before_anything_is_written()
    {
        var notBackup = Directory.CreateDirectory(Path.Combine(_dir.FullName, "empty")).FullName;
        var (exit, _, error) = _cli.Run("node", "restore", "--from", notBackup, "--config", Config);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo($"ledger: {notBackup} is not a node backup: no manifest.json"));
        Assert.That(Directory.Exists(Path.Combine(_dir.FullName, "nodes", "guangdong", "data")), Is.False);
    }
}
