using System.Text.RegularExpressions;
using Ledger.TestKit;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Ledger.E2E;

/// <summary>
/// The README's integrator walk-through, verbatim: its <c>sh</c> and <c>csharp</c> blocks are read from README.md when
/// the test runs, the shell lines run with bash (and the built <c>ledger</c> on PATH) in a directory holding a fresh
/// <c>ledger devnet --dir devnet</c>, and the C# runs with Roslyn scripting in the same directory. Edit the README and
/// this test follows; break the walk-through and this test fails.
/// </summary>
[NonParallelizable]
public sealed partial class ReadmeWalkthroughTests
{
    private const string Section = "## Integrator walk-through";

    [Test]
    public async Task The_readme_walkthrough_runs_verbatim_against_a_devnet()
    {
        var (shell, csharp) = Blocks(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")));
        Assert.That(shell, Has.Count.GreaterThanOrEqualTo(1), "the walk-through has a sh block");
        Assert.That(csharp, Has.Count.EqualTo(1), "the walk-through has one csharp block");

        var work = Directory.CreateTempSubdirectory("ledger-readme-");
        var basePort = LedgerProcess.FreePortRange(16);
        var node = $"https://127.0.0.1:{basePort}";
        using var devnet = LedgerProcess.StartIn(work.FullName, "devnet", "--dir", "devnet", "--validators", "1", "--base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await WaitForAsync(() => devnet.Output.Contains("running ", StringComparison.Ordinal) && Healthy(work.FullName, basePort + 1)
                && Healthy(work.FullName, basePort + 3), TimeSpan.FromSeconds(180), devnet);

            var bin = Directory.CreateDirectory(Path.Combine(work.FullName, "bin")).FullName;
            var wrapper = Path.Combine(bin, "ledger");
            File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet '{LedgerProcess.Executable}' \"$@\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            foreach (var block in shell)
            {
                var script = Path.Combine(work.FullName, "walkthrough.sh");
                File.WriteAllText(script, "set -euo pipefail\n" + block);
                var result = ProcessRunner.Run("bash", [script], work.FullName, TimeSpan.FromMinutes(5), new Dictionary<string, string>
                {
                    ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
                    ["LEDGER_NODE"] = node,
                    ["LEDGER_SIGNER"] = $"https://127.0.0.1:{basePort + 2}",   // one validator: the signer's ports follow the node's two
                });
                TestContext.Out.WriteLine(result.StdOut + result.StdErr);
                Assert.That(result.ExitCode, Is.Zero, $"the walk-through's shell block failed:\n{block}\n---\n{result.StdOut}\n{result.StdErr}");
                Assert.That(result.StdOut, Does.Contain("proof valid"));
                Assert.That(result.StdOut, Does.Contain("Effective"));
                Assert.That(result.StdOut, Does.Contain("UploadPaper GZ-2024-000125 version 1 (warnings: AwaitingConfirmation)"), "step 4: the upload alone awaits the worker");
                Assert.That(result.StdOut, Does.Contain("contract GZ-2024-000125: Effective, evidence PaperScanWorkerConfirmed"), "step 4: the worker confirmed it");
                Assert.That(result.StdOut, Does.Match("Enrolled holder [0-9a-f]{64} Ok by \"[^\"]*Guangzhou bureau operator \\(devnet shortcut\\)\""),
                    "step 0: the audit names the operator who enrolled the worker");
                Assert.That(result.StdOut + result.StdErr, Does.Not.Contain("440106199001011235"), "the ID number is never printed");
            }

            var output = new StringWriter();
            var console = Console.Out;
            var directory = Environment.CurrentDirectory;
            Environment.SetEnvironmentVariable("LEDGER_NODE", node);
            try
            {
                Console.SetOut(output);
                Environment.CurrentDirectory = work.FullName;
                await CSharpScript.RunAsync(AsScript(csharp[0]), ScriptOptions.Default
                    .WithReferences(Referenced())
                    .WithImports("System", "System.IO", "System.Linq", "System.Threading.Tasks", "System.Collections.Generic"));
            }
            finally
            {
                Console.SetOut(console);
                Environment.CurrentDirectory = directory;
                Environment.SetEnvironmentVariable("LEDGER_NODE", null);
            }
            TestContext.Out.WriteLine(output.ToString());
            Assert.That(output.ToString(), Does.Contain("anchored at height"), output.ToString());
        }
        finally
        {
            devnet.Stop(TimeSpan.FromSeconds(30));
            work.Delete(recursive: true);
        }
    }

    /// <summary>The fenced <c>sh</c> and <c>csharp</c> blocks between the walk-through's heading and the next heading of its level.</summary>
    private static (List<string> Shell, List<string> CSharp) Blocks(string readme)
    {
        var start = readme.IndexOf(Section, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"README.md has no '{Section}'");
        var end = readme.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        var text = end < 0 ? readme[start..] : readme[start..end];
        var shell = new List<string>();
        var csharp = new List<string>();
        foreach (Match m in Fence().Matches(text))
        {
            if (m.Groups[1].Value == "sh") shell.Add(m.Groups[2].Value);
            else if (m.Groups[1].Value == "csharp") csharp.Add(m.Groups[2].Value);
        }
        return (shell, csharp);
    }

    /// <summary>
    /// The block is a C# program of top-level statements; Roslyn scripting takes the same code except that a script's top
    /// level allows no using declarations (<c>using var</c>), so the statements go into one local async function, as the
    /// compiler does with top-level statements, and the using directives stay in front.
    /// </summary>
    private static string AsScript(string program)
    {
        var lines = program.Split('\n');
        var directives = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) && !l.Contains('=') && !l.Contains('(') || l.Length == 0).ToArray();
        var body = string.Join('\n', lines.Skip(directives.Length));
        return $"{string.Join('\n', directives)}\nasync System.Threading.Tasks.Task Walkthrough()\n{{\n{body}\n}}\nawait Walkthrough();\n";
    }

    [GeneratedRegex(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    private static IEnumerable<Microsoft.CodeAnalysis.MetadataReference> Referenced()
    {
        // The SDK's assemblies, as an integrator's project would reference them.
        _ = typeof(Client.LedgerClient).Assembly;
        _ = typeof(Core.Hash32).Assembly;
        _ = typeof(Crypto.Sm3).Assembly;
        _ = typeof(Proto.V1.LedgerService).Assembly;
        _ = typeof(Google.Protobuf.ByteString).Assembly;
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(a.Location));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository (Ledger.sln) above " + AppContext.BaseDirectory);
    }

    /// <summary>The devnet's /healthz over TLS, pinning the transport CA it wrote (not there yet: not healthy).</summary>
    private static bool Healthy(string work, int httpPort)
    {
        var ca = Path.Combine(work, "devnet", "transport-ca.pem");
        if (!File.Exists(ca)) return false;
        try
        {
            using var http = Ledger.TestKit.Transport.TestTransport.ForNetwork(Path.Combine(work, "devnet")).Http(TimeSpan.FromSeconds(2));
            return http.GetAsync(new Uri($"https://127.0.0.1:{httpPort}/healthz")).GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Ledger.Core.LedgerException or IOException)
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, LedgerProcess process)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (process.HasExited || DateTime.UtcNow > deadline) Assert.Fail($"the devnet did not come up:\n{process.Output}");
            await Task.Delay(200);
        }
    }
}
