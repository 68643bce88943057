using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Crypto.Transport;
using Ledger.TestKit;
using Ledger.TestKit.Transport;

namespace Ledger.E2E;

/// <summary>
/// The README's key ceremony, verbatim: its first <c>sh</c> block runs with bash (the built <c>ledger</c> on PATH) in an
/// empty directory where each bureau's folder stands for its machine; the test checks that no folder holds another's key,
/// starts the four validators from their own folders with the configs <c>network genesis</c> made, and runs the second
/// block — the README's main job, a contract registered with both parties' consent and its proof checked against the
/// assembled genesis.
/// </summary>
[NonParallelizable]
public sealed partial class KeyCeremonyTests
{
    private const string Section = "### Key ceremony";
    private static readonly string[] Bureaus = ["guangdong", "guangzhou", "shaoguan", "shenzhen"];

    /// <summary>Which key files each folder (machine) must hold: its own, made there, and nothing of anyone else's.</summary>
    private static readonly Dictionary<string, string[]> OwnKeys = new()
    {
        ["guangdong"] = ["root.key", "transport-ca.key", "pseudonym.key", "node.key", "tls.key", "explorer-tls.key", "explorer.key"],
        ["guangzhou"] = ["ca.key", "node.key", "tls.key", "signer.key", "operator.key", "pseudonym.key"],
        ["shaoguan"] = ["ca.key", "node.key", "tls.key"],
        ["shenzhen"] = ["ca.key", "node.key", "tls.key"],
        ["employer"] = ["employer.key"],
        ["worker"] = ["worker.key"],
    };

    [Test]
    public async Task A_network_built_from_csrs_with_every_key_kept_by_its_bureau_runs_the_main_job()
    {
        var blocks = ShellBlocks(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")));
        Assert.That(blocks, Has.Count.EqualTo(2), "the key ceremony has two sh blocks: the ceremony, then the main job");
        var passphrase = PassphraseOf(blocks[0]);

        var work = Directory.CreateTempSubdirectory("ledger-ceremony-");
        var basePort = LedgerProcess.FreePortRange(8);
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = LedgerOnPath(work.FullName) + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["BASE_PORT"] = basePort.ToString(CultureInfo.InvariantCulture),
        };
        var nodes = new List<LedgerProcess>();
        try
        {
            var ceremony = RunBlock(work.FullName, blocks[0], environment);
            Assert.That(ceremony.ExitCode, Is.Zero, $"the ceremony failed:\n{ceremony.StdOut}\n{ceremony.StdErr}");

            AssertEachKeyStaysWithItsOwner(work.FullName);
            AssertGenesisHoldsTheCeremonysCertificates(work.FullName);

            foreach (var bureau in Bureaus)
                nodes.Add(LedgerProcess.StartIn(Path.Combine(work.FullName, bureau), new Dictionary<string, string> { ["LEDGER_PASSPHRASE"] = passphrase },
                    "node", "--config", "config.json"));
            using (var http = TestTransport.ForNetwork(Path.Combine(work.FullName, "guangdong")).Http(TimeSpan.FromSeconds(2)))
            {
                for (var i = 0; i < Bureaus.Length; i++)
                    await WaitForAsync(() => Healthy(http, basePort + 2 * i + 1), TimeSpan.FromSeconds(120), nodes[i]);
            }

            var job = RunBlock(work.FullName, blocks[1], environment);
            TestContext.Out.WriteLine(job.StdOut + job.StdErr);
            Assert.That(job.ExitCode, Is.Zero, $"the main job failed:\n{job.StdOut}\n{job.StdErr}\n{string.Join("\n---\n", nodes.Select(n => n.Output))}");
            Assert.That(job.StdOut, Does.Contain("proof valid"));
            Assert.That(job.StdOut, Does.Contain("contract GZ-2024-000123: Register version 1"));
            Assert.That(SealedBy().Match(job.StdOut).Success, Is.True, "a quorum of the four validators sealed the block:\n" + job.StdOut);
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Stop(TimeSpan.FromSeconds(20));
                node.Dispose();
            }
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Every private key is in the folder of the one who made it and nowhere else — compared by content, whatever the
    /// file is called — save the province's worker-pseudonym key, which the README hands to Guangzhou's CA on purpose.
    /// The folders genesis made for the bureaus hold no key at all.
    /// </summary>
    private static void AssertEachKeyStaysWithItsOwner(string work)
    {
        var owners = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(work, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal)) continue;
            var content = File.ReadAllText(file);
            var folder = relative.Split(Path.DirectorySeparatorChar)[0];
            if (!IsKey(file, content)) continue;
            Assert.That(relative, Does.Not.StartWith(Path.Combine("guangdong", "network")), "genesis output holds no key");
            owners.TryGetValue(content, out var holders);
            owners[content] = [.. holders ?? [], relative];
            Assert.That(OwnKeys.TryGetValue(folder, out var own) && own.Contains(Path.GetFileName(file)), Is.True, $"{relative} is not a key its folder makes");
        }
        foreach (var (folder, keys) in OwnKeys)
            foreach (var key in keys)
                Assert.That(File.Exists(Path.Combine(work, folder, key)), Is.True, $"{folder} made {key}");
        foreach (var holders in owners.Values.Where(h => h.Count > 1))
            Assert.That(holders, Is.EquivalentTo(new[] { Path.Combine("guangdong", "pseudonym.key"), Path.Combine("guangzhou", "pseudonym.key") }),
                $"a key held in more than one folder: {string.Join(", ", holders)}");
        Assert.That(owners.Values.Sum(h => h.Count), Is.EqualTo(OwnKeys.Values.Sum(k => k.Length)));

        // Each SM2 key is a different key, not a copy under another passphrase.
        var publicKeys = Directory.EnumerateFiles(work, "*.key", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not ("pseudonym.key" or "tls.key" or "explorer-tls.key" or "transport-ca.key"))
            .Select(f => KeyFile.ReadPublicKey(File.ReadAllBytes(f)).Id).ToArray();
        Assert.That(publicKeys, Has.Length.EqualTo(13).And.Unique);
    }

    private static bool IsKey(string path, string content) =>
        path.EndsWith(".key", StringComparison.Ordinal) || content.Contains("PRIVATE KEY", StringComparison.Ordinal) || content.Contains("ledger-sm2-key", StringComparison.Ordinal);

    private static void AssertGenesisHoldsTheCeremonysCertificates(string work)
    {
        var genesis = GenesisDocument.FromJson(File.ReadAllText(Path.Combine(work, "guangdong", "network", "genesis.json")));
        var root = LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(work, "guangdong", "root.pem")));
        Assert.That(LedgerCertificate.FromPem(genesis.RootCertificate).Id, Is.EqualTo(root.Id));
        Assert.That(genesis.Validators.Select(v => v.Name), Is.EqualTo(Bureaus));
        Assert.That(genesis.IntermediateCertificates, Has.Count.EqualTo(3));
        var chain = new CertificateChainValidator(root, genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem), []);
        foreach (var (validator, bureau) in genesis.Validators.Zip(Bureaus))
        {
            var certificate = LedgerCertificate.FromPem(validator.Certificate);
            Assert.That(certificate.PublicKey, Is.EqualTo(KeyFile.ReadPublicKey(File.ReadAllBytes(Path.Combine(work, bureau, "node.key")))), $"{bureau}'s own key");
            Assert.That(chain.Validate(certificate, DateTimeOffset.UtcNow).IsValid, Is.True);
            using var tls = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(work, bureau, "tls.pem"));
            Assert.That(ValidatorTransportName.Read(tls), Is.EqualTo(new[] { bureau }));
        }
        foreach (var city in Bureaus.Skip(1))
        {
            var ca = LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(work, city, "ca.pem")));
            Assert.That((ca.IsCa, ca.Role, ca.PathLength), Is.EqualTo((true, Role.IntermediateCa, (int?)0)), city);
        }
        var signer = LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(work, "guangzhou", "signer.pem")));
        Assert.That((signer.Role, chain.Validate(signer, DateTimeOffset.UtcNow).IsValid), Is.EqualTo((Role.Bureau, true)));
        var enrolmentOperator = LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(work, "guangzhou", "operator.pem")));
        Assert.That((enrolmentOperator.Role, chain.Validate(enrolmentOperator, DateTimeOffset.UtcNow).IsValid), Is.EqualTo((Role.Operator, true)),
            "the operator who authorises enrolments: an Operator certificate of the city CA");
        var observer = LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(work, "guangdong", "explorer.pem")));
        Assert.That((observer.Role, chain.Validate(observer, DateTimeOffset.UtcNow).IsValid), Is.EqualTo((Role.Observer, true)), "the explorer's operator reads as an Observer");
        using var explorer = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(work, "guangdong", "explorer-tls.pem"));
        Assert.That(ValidatorTransportName.Read(explorer), Is.Empty, "the explorer's TLS certificate names no validator");
        Assert.That(TransportTrust.Load(Path.Combine(work, "guangdong", "transport-ca.pem")).IsTrusted(explorer, TransportCertificateAuthority.ServerAuthOid), Is.True);
    }

    private static ProcessRunner.Outcome RunBlock(string work, string block, Dictionary<string, string> environment)
    {
        var script = Path.Combine(work, "block.sh");
        File.WriteAllText(script, "set -euo pipefail\n" + block);
        try
        {
            return ProcessRunner.Run("bash", [script], work, TimeSpan.FromMinutes(5), environment);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string PassphraseOf(string block)
    {
        var match = Passphrase().Match(block);
        Assert.That(match.Success, Is.True, "the ceremony exports PASS");
        return match.Groups[1].Value;
    }

    private static string LedgerOnPath(string work)
    {
        var bin = Directory.CreateDirectory(Path.Combine(work, "bin")).FullName;
        var wrapper = Path.Combine(bin, "ledger");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet '{LedgerProcess.Executable}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    /// <summary>The fenced <c>sh</c> blocks between the section's heading and the next heading of its level or above.</summary>
    private static List<string> ShellBlocks(string readme)
    {
        var start = readme.IndexOf(Section, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"README.md has no '{Section}'");
        var end = NextHeading().Match(readme, start + Section.Length);
        var text = end.Success ? readme[start..end.Index] : readme[start..];
        return Fence().Matches(text).Where(m => m.Groups[1].Value == "sh").Select(m => m.Groups[2].Value).ToList();
    }

    [GeneratedRegex(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^#{2,3} ", RegexOptions.Multiline)]
    private static partial Regex NextHeading();

    [GeneratedRegex("^export PASS=\"([^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex Passphrase();

    [GeneratedRegex(@"sealed by [34] of 4 validators")]
    private static partial Regex SealedBy();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository (Ledger.sln) above " + AppContext.BaseDirectory);
    }

    private static bool Healthy(HttpClient http, int httpPort)
    {
        try
        {
            return http.GetAsync(new Uri($"https://127.0.0.1:{httpPort}/healthz")).GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, LedgerProcess process)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (process.HasExited || DateTime.UtcNow > deadline) Assert.Fail($"a node did not come up:\n{process.Output}");
            await Task.Delay(200);
        }
    }
}
