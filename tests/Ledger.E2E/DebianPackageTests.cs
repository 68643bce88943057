using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Core;
using Ledger.Node.Config;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Issue 14 (packaging): scripts/package-deb.sh builds a .deb that installs and removes cleanly with dpkg, whose systemd
/// units pass <c>systemd-analyze verify</c>, and from whose installed files — run as the unit runs them, as its user with
/// its ExecStart (no systemd PID 1 here, so no systemctl) — a node joins a devnet. Installing needs root: as another user
/// those tests are skipped, saying why (CI runs as root). The unit checks without installing run everywhere.
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class DebianPackageTests
{
    private static readonly string[] Units = ["ledger-node.service", "ledger-signer.service", "ledger-ca.service", "ledger-explorer.service"];

    [Test]
    public void The_units_pass_systemd_analyze_verify_and_are_hardened()
    {
        RequireTool("systemd-analyze");
        var repository = RepositoryRoot();
        // A root with systemd's own units, the launcher at /usr/bin/ledger and ours: verify checks every directive and
        // that ExecStart names an executable there.
        using var root = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(root.Path, "usr", "bin"));
        Directory.CreateDirectory(Path.Combine(root.Path, "etc", "systemd", "system"));
        CopyDirectory("/lib/systemd/system", Path.Combine(root.Path, "usr", "lib", "systemd", "system"));
        var launcher = Path.Combine(root.Path, "usr", "bin", "ledger");
        File.Copy(Path.Combine(repository, "deploy", "debian", "ledger.sh"), launcher);
        File.SetUnixFileMode(launcher, (UnixFileMode)0b111_101_101);
        // The node's ExecReload sends SIGHUP with procps's kill, which the package depends on.
        Directory.CreateDirectory(Path.Combine(root.Path, "bin"));
        File.Copy("/bin/kill", Path.Combine(root.Path, "bin", "kill"));
        foreach (var unit in Units) File.Copy(Path.Combine(repository, "deploy", "systemd", unit), Path.Combine(root.Path, "etc", "systemd", "system", unit));
        var verify = ProcessRunner.Run("systemd-analyze", ["verify", $"--root={root.Path}", .. Units]);
        Assert.That(verify.ExitCode, Is.Zero, verify.StdErr);
        Assert.That((verify.StdOut + verify.StdErr).Trim(), Is.Empty, "no warnings");
        // Without the launcher, verify fails: the check is real.
        File.Delete(launcher);
        Assert.That(ProcessRunner.Run("systemd-analyze", ["verify", $"--root={root.Path}", Units[0]]).ExitCode, Is.Not.Zero);

        foreach (var unit in Units)
        {
            var path = Path.Combine(repository, "deploy", "systemd", unit);
            var text = File.ReadAllText(path);
            foreach (var directive in new[] { "User=ledger", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes", "RestrictSUIDSGID=yes" })
                Assert.That(text, Does.Contain($"\n{directive}\n"), $"{unit}: {directive}");
            Assert.That(text, Does.Match(@"\nCapabilityBoundingSet=\n"), $"{unit}: no capabilities at all");
            // systemd's own offline score: 0 (locked down) .. 10 (exposed); "OK" is below 4.
            var security = ProcessRunner.Run("systemd-analyze", ["security", "--offline=true", "--no-pager", path]);
            var score = Regex.Match(security.StdOut + security.StdErr, @"Overall exposure level for \S+: (\d+\.\d+)");
            Assert.That(score.Success, Is.True, security.StdOut + security.StdErr);
            var exposure = double.Parse(score.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            TestContext.Out.WriteLine($"{unit}: exposure {exposure}");
            Assert.That(exposure, Is.LessThanOrEqualTo(2.0), $"{unit} exposure");
        }
        Assert.That(File.ReadAllText(Path.Combine(repository, "deploy", "systemd", "ledger-node.service")), Does.Contain("\nReadWritePaths=/var/lib/ledger/node\n"));
        Assert.That(File.ReadAllText(Path.Combine(repository, "deploy", "systemd", "ledger-signer.service")), Does.Contain("\nReadWritePaths=/var/lib/ledger/signer\n"));
        Assert.That(File.ReadAllText(Path.Combine(repository, "deploy", "systemd", "ledger-ca.service")), Does.Contain("\nReadWritePaths=/var/lib/ledger/ca\n"));
        foreach (var script in new[] { "postinst", "prerm", "postrm", "ledger.sh" })
        {
            var syntax = ProcessRunner.Run("sh", ["-n", Path.Combine(repository, "deploy", "debian", script)]);
            Assert.That(syntax.ExitCode, Is.Zero, $"{script}: {syntax.StdErr}");
        }
    }

    [Test]
    public void The_package_builds_installs_passes_verify_and_removes_then_purges_cleanly()
    {
        RequireRoot();
        var deb = BuildPackage();
        try
        {
            var install = ProcessRunner.Run("dpkg", ["-i", deb], timeout: TimeSpan.FromMinutes(5));
            Assert.That(install.ExitCode, Is.Zero, install.StdOut + install.StdErr);
            Assert.That(install.StdOut + install.StdErr, Does.Not.Contain("arning"), "installs without warnings");
            Assert.That(ProcessRunner.Run("id", ["-u", "ledger"]).ExitCode, Is.Zero, "the ledger system user exists");
            Assert.That(Stat("/etc/ledger/node"), Is.EqualTo("root ledger 750"));
            Assert.That(Stat("/var/lib/ledger/node"), Is.EqualTo("ledger ledger 700"));
            var verify = ProcessRunner.Run("systemd-analyze", ["verify", .. Units.Select(u => "/lib/systemd/system/" + u)]);
            Assert.That(verify.ExitCode, Is.Zero, verify.StdOut + verify.StdErr);
            Assert.That((verify.StdOut + verify.StdErr).Trim(), Is.Empty, "no warnings");
            // The installed ledger runs, as the ledger user, on the runtime bundled with it.
            var hash = ProcessRunner.Run("runuser", ["-u", "ledger", "--", "/usr/bin/ledger", "hash", "/usr/share/doc/ledger/operations.md"]);
            Assert.That(hash.ExitCode, Is.Zero, hash.StdErr);
            Assert.That(hash.StdOut.Trim(), Does.Match("^[0-9a-f]{64}$"));

            // Data and config outlive `dpkg -r`; the program does not.
            File.WriteAllText("/var/lib/ledger/node/kept", "chain data");
            File.WriteAllText("/etc/ledger/node/config.json", "{}");
            var remove = ProcessRunner.Run("dpkg", ["-r", "ledger"], timeout: TimeSpan.FromMinutes(5));
            Assert.That(remove.ExitCode, Is.Zero, remove.StdOut + remove.StdErr);
            Assert.That(remove.StdOut + remove.StdErr, Does.Not.Contain("arning"));
            Assert.That(File.Exists("/usr/bin/ledger"), Is.False);
            Assert.That(Directory.Exists("/usr/lib/ledger"), Is.False);
            Assert.That(File.Exists("/var/lib/ledger/node/kept"), Is.True, "remove keeps the data");
            Assert.That(File.Exists("/etc/ledger/node/config.json"), Is.True, "remove keeps the config");
            var purge = ProcessRunner.Run("dpkg", ["-P", "ledger"], timeout: TimeSpan.FromMinutes(5));
            Assert.That(purge.ExitCode, Is.Zero, purge.StdOut + purge.StdErr);
            Assert.That(Directory.Exists("/var/lib/ledger"), Is.False, "purge deletes the data");
            Assert.That(Directory.Exists("/etc/ledger"), Is.False, "purge deletes the config");
            Assert.That(ProcessRunner.Run("dpkg", ["-s", "ledger"]).ExitCode, Is.Not.Zero, "nothing left installed");
        }
        finally
        {
            Purge();
            File.Delete(deb);
        }
    }

    [Test]
    [Category("Long")]
    public async Task A_node_started_from_the_installed_files_as_the_unit_runs_it_joins_a_devnet()
    {
        RequireRoot();
        var deb = BuildPackage();
        using var devnet = new DevnetFixture(validators: 4);
        const int installed = 3;
        var nodes = new LedgerProcess?[4];
        Process? service = null;
        try
        {
            var install = ProcessRunner.Run("dpkg", ["-i", deb], timeout: TimeSpan.FromMinutes(5));
            Assert.That(install.ExitCode, Is.Zero, install.StdOut + install.StdErr);

            // The fourth validator's files go where the package wants them: config and certificates in /etc/ledger/node
            // (root:ledger 0640), its keys and passphrase there too but the ledger user's own (0600: the node refuses a
            // key others can read), data in /var/lib/ledger/node.
            var name = devnet.ValidatorNames[installed];
            var source = NodeConfig.Load(devnet.NodeConfig(name));
            string Place(string configured, bool secret = false)
            {
                var target = Path.Combine("/etc/ledger/node", Path.GetFileName(configured));
                File.Copy(source.Resolve(configured), target, overwrite: true);
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | (secret ? 0 : UnixFileMode.GroupRead));
                Assert.That(ProcessRunner.Run("chown", [secret ? "ledger:ledger" : "root:ledger", target]).ExitCode, Is.Zero);
                return Path.GetFileName(configured);
            }
            var config = source with
            {
                Genesis = Place(source.Genesis),
                Key = Place(source.Key, secret: true),
                Certificate = Place(source.Certificate),
                IssuerCertificate = source.IssuerCertificate is null ? null : Place(source.IssuerCertificate),
                PassphraseFile = Place(source.PassphraseFile!, secret: true),
                TlsCertificate = Place(source.TlsCertificate!),
                TlsKey = Place(source.TlsKey!, secret: true),
                TransportCa = Place(source.TransportCa!),
                DataDir = "/var/lib/ledger/node",
            };
            File.WriteAllText("/etc/ledger/node/config.json", config.ToJson());

            for (var i = 0; i < installed; i++) nodes[i] = LedgerProcess.Start("node", "--config", devnet.NodeConfig(devnet.ValidatorNames[i]));
            // As systemd would: the unit's User, its UMask, its ExecStart word for word.
            var unit = File.ReadAllText("/lib/systemd/system/ledger-node.service");
            var user = Directive(unit, "User");
            var umask = Directive(unit, "UMask");
            var exec = Directive(unit, "ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(exec[0], Is.EqualTo("/usr/bin/ledger"));
            service = StartAsUnit(user, umask, exec, out var output);

            for (var i = 0; i < installed; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(90), nodes[i]);
            try
            {
                await devnet.WaitHealthyAsync(installed, TimeSpan.FromSeconds(90));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"the installed node did not become healthy (exited: {service.HasExited}):\n{output}");
            }
            using var channel = devnet.Channel(installed);
            var client = devnet.Client(channel);
            // It takes part: a tx submitted to it commits, and it holds the same blocks as the others.
            for (var i = 0; i < 3; i++)
            {
                var (envelope, _) = devnet.NewRegistration();
                var submitted = await client.SubmitAsync(DevnetFixture.Submit(envelope));
                var committed = await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 60_000 });
                Assert.That(committed.ReceiptCode, Is.Zero, output.ToString());
            }
            using var other = devnet.Channel(0);
            var head = (await client.GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height;
            for (ulong h = 1; h <= head; h++)
                Assert.That((await devnet.Client(other).GetBlockAsync(new Rpc.GetBlockRequest { Height = h })).BlockHash,
                    Is.EqualTo((await client.GetBlockAsync(new Rpc.GetBlockRequest { Height = h })).BlockHash), $"block {h}");
            using var http = devnet.Transport.Http();
            var metrics = await http.GetStringAsync(new Uri(devnet.HttpAddress(0), "/metrics"));
            Assert.That(metrics, Does.Match($"ledger_peer_connected\\{{[^}}]*peer=\"{name}\"[^}}]*\\}} 1"), "the others see it as a connected peer");
            // Its files were written by the unit's user, under the unit's umask.
            Assert.That(Stat("/var/lib/ledger/node/ledger.db"), Is.EqualTo("ledger ledger 600"));

            Assert.That(StopService(service), Is.True, "SIGTERM stops it cleanly:\n" + output);
            service = null;
        }
        finally
        {
            if (service is not null) KillService(service);
            foreach (var node in nodes) node?.Dispose();
            Purge();
            File.Delete(deb);
        }
    }

    private static string BuildPackage()
    {
        var output = Path.Combine(Path.GetTempPath(), "ledger-deb-" + Guid.NewGuid().ToString("N"));
        // The Release build the tests run is what gets packaged (--no-build); no compression, to keep the test quick.
        var build = ProcessRunner.Run("bash", [Path.Combine(RepositoryRoot(), "scripts", "package-deb.sh"), "--out", output, "--compress", "none", "--no-build"],
            RepositoryRoot(), TimeSpan.FromMinutes(10));
        Assert.That(build.ExitCode, Is.Zero, build.StdErr);
        var deb = build.StdOut.Trim().Split('\n')[^1];
        Assert.That(File.Exists(deb), Is.True, deb);
        var info = ProcessRunner.Run("dpkg-deb", ["--field", deb, "Package", "Depends"]);
        Assert.That(info.StdOut, Does.Contain("Package: ledger").And.Contain("libssl3"));
        return deb;
    }

    private static Process StartAsUnit(string user, string umask, string[] exec, out System.Text.StringBuilder output)
    {
        var info = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-u", user, "--", "sh", "-c", $"umask {umask} && exec \"$@\"", "sh" }.Concat(exec)) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var lines = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (lines) lines.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (lines) lines.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = lines;
        return process;
    }

    /// <summary>
    /// SIGTERM to the node — runuser's child, which exec'd the unit's command — as systemd's KillSignal would send it to
    /// the main process; runuser then exits with the node's status.
    /// </summary>
    private static bool StopService(Process service)
    {
        foreach (var pid in Children(service)) _ = ProcessRunner.Run("kill", ["-TERM", pid]);
        if (!service.WaitForExit(TimeSpan.FromSeconds(60))) return false;
        return service.ExitCode == 0;
    }

    private static string[] Children(Process service)
    {
        var children = $"/proc/{service.Id}/task/{service.Id}/children";
        return File.Exists(children) ? File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
    }

    /// <summary>Kills runuser's children by their ids (read from /proc), then runuser itself.</summary>
    private static void KillService(Process service)
    {
        foreach (var pid in Children(service)) _ = ProcessRunner.Run("kill", ["-KILL", pid]);
        if (!service.HasExited) service.Kill();
        service.WaitForExit();
    }

    private static string Directive(string unit, string name) =>
        Regex.Match(unit, $"^{name}=(.*)$", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value.Trim() : throw new AssertionException($"the unit has no {name}=");

    private static string Stat(string path) => ProcessRunner.Run("stat", ["-c", "%U %G %a", path]).StdOut.Trim();

    private static void Purge()
    {
        if (ProcessRunner.Run("dpkg", ["-s", "ledger"]).ExitCode == 0) _ = ProcessRunner.Run("dpkg", ["-P", "ledger"], timeout: TimeSpan.FromMinutes(5));
    }

    private static void RequireRoot()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" && ProcessRunner.Run("id", ["-u"]).StdOut.Trim() != "0")
            Assert.Ignore("installing a .deb needs root (dpkg -i, adduser, /etc and /var/lib); CI runs as root");
        foreach (var tool in new[] { "dpkg", "dpkg-deb", "systemd-analyze", "runuser", "adduser" }) RequireTool(tool);
        if (ProcessRunner.Run("dpkg", ["-s", "ledger"]).ExitCode == 0)
            Assert.Ignore("a ledger package is already installed on this machine; the test will not replace it");
    }

    private static void RequireTool(string tool)
    {
        if (ProcessRunner.Run("sh", ["-c", $"command -v {tool}"]).ExitCode != 0)
            Assert.Ignore($"{tool} is not installed (scripts/test.sh installs it on Debian as root)");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        var copy = ProcessRunner.Run("cp", ["-a", from + "/.", to + "/"], timeout: TimeSpan.FromMinutes(1));
        Assert.That(copy.ExitCode, Is.Zero, copy.StdErr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository (Ledger.sln) above " + AppContext.BaseDirectory);
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ledger-units-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
