using System.Xml.Linq;

namespace Ledger.Architecture.Tests;

/// <summary>The dependency graph of ARCHITECTURE §3, read from the project files themselves.</summary>
public class DependencyRulesTests
{
    /// <summary>For each production project, the projects it may reference. Anything else is a violation.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Ledger.Core"] = [],
        ["Ledger.Crypto"] = ["Ledger.Core"],
        ["Ledger.Storage"] = ["Ledger.Core"],
        ["Ledger.Consensus"] = ["Ledger.Core"],
        ["Ledger.Chaincode"] = ["Ledger.Core"],
        ["Ledger.Chain"] = ["Ledger.Core", "Ledger.Crypto", "Ledger.Storage", "Ledger.Chaincode"],
        ["Ledger.Network"] = ["Ledger.Core", "Ledger.Consensus", "Ledger.Proto"],
        ["Ledger.Proto"] = [],
        // The Prometheus exporter (prometheus-net over System.Diagnostics.Metrics) the node, signer and explorer share.
        ["Ledger.Telemetry"] = [],
        ["Ledger.Client"] = ["Ledger.Core", "Ledger.Crypto", "Ledger.Proto"],
        ["Ledger.Signer"] = ["Ledger.Core", "Ledger.Crypto", "Ledger.Proto", "Ledger.Client", "Ledger.Telemetry"],
        ["Ledger.Explorer"] = ["Ledger.Core", "Ledger.Crypto", "Ledger.Proto", "Ledger.Client", "Ledger.Reports", "Ledger.Telemetry"],
        // Signed verification reports (PDF) for courts: what the CLI and the explorer hand a clerk.
        ["Ledger.Reports"] = ["Ledger.Core", "Ledger.Crypto", "Ledger.Client"],
        // Anchors checkpoints on an external EVM chain: reads our chain as a client would, writes with Nethereum.
        ["Ledger.Anchor"] = ["Ledger.Core", "Ledger.Crypto", "Ledger.Proto", "Ledger.Client"],
        // The PostgreSQL indexer and statistics: reads certified blocks as a client; GB/T 4754 sections as the chaincode checks them.
        // Its gRPC service is hosted by the CLI, which authenticates callers with the node's own CallAuthenticator.
        ["Ledger.Analytics"] = ["Ledger.Core", "Ledger.Crypto", "Ledger.Proto", "Ledger.Client", "Ledger.Chaincode"],
        ["Ledger.Node"] =
        [
            "Ledger.Core", "Ledger.Crypto", "Ledger.Storage", "Ledger.Chain", "Ledger.Consensus", "Ledger.Network",
            "Ledger.Chaincode", "Ledger.Proto", "Ledger.Client", "Ledger.Telemetry",
        ],
        // The `ledger` executable: CLI verbs, network setup, devnet, bench. Nothing references it but tests.
        ["Ledger.Cli"] =
        [
            "Ledger.Core", "Ledger.Crypto", "Ledger.Node", "Ledger.Chaincode", "Ledger.Proto", "Ledger.Client",
            "Ledger.Signer", "Ledger.Explorer", "Ledger.Reports", "Ledger.Anchor", "Ledger.Analytics",
        ],
    };

    /// <summary>Packages that must never appear in a project, whatever it references.</summary>
    private static readonly Dictionary<string, string[]> ForbiddenPackages = new()
    {
        ["Ledger.Core"] = ["*"],
        ["Ledger.Chaincode"] = ["*"],
        // The EVM client stays in the anchoring service: no node, chaincode or consensus code depends on an external chain.
        ["Ledger.Node"] = ["Nethereum.*"],
        ["Ledger.Chain"] = ["Nethereum.*"],
        ["Ledger.Consensus"] = ["LiteDB", "Grpc.*", "Google.Protobuf", "BouncyCastle.Cryptography", "Nethereum.*"],
    };

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ledger.sln not found above the test directory");
    }

    private static IEnumerable<string> ProductionProjects() =>
        Directory.EnumerateFiles(RepoRoot(), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    internal static IReadOnlyList<string> Violations(string projectPath)
    {
        var name = Path.GetFileNameWithoutExtension(projectPath);
        var xml = XDocument.Load(projectPath);
        var violations = new List<string>();
        if (!Allowed.TryGetValue(name, out var allowed))
            return [$"{name} is not in the architecture's dependency table"];
        foreach (var reference in xml.Descendants("ProjectReference"))
        {
            var target = Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value);
            if (!allowed.Contains(target)) violations.Add($"{name} → {target} is forbidden");
        }
        if (ForbiddenPackages.TryGetValue(name, out var forbidden))
        {
            foreach (var package in xml.Descendants("PackageReference").Select(p => p.Attribute("Include")!.Value))
            {
                if (forbidden.Any(f => f == "*" || f == package || (f.EndsWith('*') && package.StartsWith(f[..^1], StringComparison.Ordinal))))
                    violations.Add($"{name} must not use package {package}");
            }
        }
        return violations;
    }

    [Test]
    public void Every_project_of_the_layout_exists()
    {
        var names = ProductionProjects().Select(Path.GetFileNameWithoutExtension).ToHashSet();
        Assert.That(names, Is.SupersetOf(Allowed.Keys));
    }

    [Test]
    public void No_project_references_one_the_architecture_forbids()
    {
        var violations = ProductionProjects().SelectMany(Violations).ToList();
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Only_the_executable_and_tests_reference_the_node_host()
    {
        var offenders = ProductionProjects()
            .Where(p => Path.GetFileNameWithoutExtension(p) is not ("Ledger.Node" or "Ledger.Cli"))
            .Where(p => References(p, "Ledger.Node"))
            .ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Nothing_but_tests_references_the_cli()
    {
        var offenders = ProductionProjects().Where(p => References(p, "Ledger.Cli")).ToList();
        Assert.That(offenders, Is.Empty);
    }

    private static bool References(string projectPath, string target) =>
        XDocument.Load(projectPath).Descendants("ProjectReference")
            .Any(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value) == target);

    [Test]
    public void The_checker_flags_a_forbidden_reference()
    {
        // Negative control: a Consensus project that references Storage and LiteDB must be caught.
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var path = Path.Combine(dir.FullName, "Ledger.Consensus.csproj");
            File.WriteAllText(path, """
                <Project Sdk="Microsoft.NET.Sdk">
                  <ItemGroup>
                    <ProjectReference Include="../Ledger.Storage/Ledger.Storage.csproj" />
                    <PackageReference Include="LiteDB" />
                  </ItemGroup>
                </Project>
                """);
            Assert.That(Violations(path), Has.Count.EqualTo(2));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Test]
    public void The_solution_is_in_the_classic_format_and_lists_every_project()
    {
        var root = RepoRoot();
        var sln = File.ReadAllText(Path.Combine(root, "Ledger.sln"));
        Assert.That(sln, Does.Contain("Microsoft Visual Studio Solution File, Format Version 12.00"));
        foreach (var project in Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories).Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal)))
            Assert.That(sln, Does.Contain(Path.GetFileName(project)), Path.GetRelativePath(root, project));
    }
}
