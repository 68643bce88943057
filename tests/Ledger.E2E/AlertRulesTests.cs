using System.Text.RegularExpressions;
using Ledger.TestKit;
using YamlDotNet.RepresentationModel;

namespace Ledger.E2E;

/// <summary>
/// Issue 14 (operations): deploy/prometheus/ledger-alerts.yml names only metrics that a running consortium node really
/// exports, and — where promtool is at hand (scripts/test.sh extracts it from Debian's prometheus package) — passes
/// <c>promtool check rules</c> and the rule unit tests beside it, which show each alert firing and staying quiet.
/// </summary>
[NonParallelizable]
public class AlertRulesTests
{
    [Test]
    public async Task Every_metric_the_alert_rules_use_is_on_a_live_nodes_metrics()
    {
        var expressions = Expressions(Path.Combine(RepositoryRoot(), "deploy", "prometheus", "ledger-alerts.yml"));
        Assert.That(expressions.Keys, Is.SupersetOf(new[] { "LedgerNoCommits", "LedgerPeersBelowQuorum", "LedgerEquivocationSeen", "LedgerCertificateExpiring" }));
        var names = expressions.Values.SelectMany(e => Regex.Matches(e, @"\bledger_[a-z0-9_]+\b").Select(m => m.Value)).ToHashSet();
        Assert.That(names, Has.Count.GreaterThanOrEqualTo(6));

        // Two validators: consensus and peer metrics exist only in a consortium.
        using var devnet = new DevnetFixture(validators: 2);
        var nodes = devnet.ValidatorNames.Select(name => LedgerProcess.Start("node", "--config", devnet.NodeConfig(name))).ToArray();
        try
        {
            for (var i = 0; i < nodes.Length; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), nodes[i]);
            using var http = devnet.Transport.Http();
            var metrics = "";
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                metrics = await http.GetStringAsync(new Uri(devnet.HttpAddress(0), "/metrics"));
                if (Regex.IsMatch(metrics, @"^ledger_peer_connected\{[^}]*\} 1$", RegexOptions.Multiline)) break;
                await Task.Delay(250);
            }
            var exported = Regex.Matches(metrics, @"^(ledger_[a-z0-9_]+)[{ ]", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
            Assert.That(names.Except(exported), Is.Empty, $"names in the rules that /metrics does not export; it exports: {string.Join(", ", exported.Order())}");
            // The certificate gauge carries the node's own validator and TLS certificates and the genesis CAs.
            foreach (var kind in new[] { "validator", "tls", "root_ca", "city_ca" })
                Assert.That(metrics, Does.Match($"ledger_certificate_expiry_timestamp_seconds\\{{[^}}]*certificate=\"{kind}\"[^}}]*\\}} [0-9]{{10}}"), kind);
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }

    [Test]
    public void The_alert_rules_pass_promtool_check_and_their_unit_tests()
    {
        var promtool = Environment.GetEnvironmentVariable("LEDGER_PROMTOOL") is { Length: > 0 } configured ? configured
            : ProcessRunner.Run("sh", ["-c", "command -v promtool"]).StdOut.Trim();
        if (promtool.Length == 0 || !File.Exists(promtool))
            Assert.Ignore("promtool is not available (scripts/test.sh extracts it from Debian's prometheus package as root; or set LEDGER_PROMTOOL)");
        var directory = Path.Combine(RepositoryRoot(), "deploy", "prometheus");
        var check = ProcessRunner.Run(promtool, ["check", "rules", "ledger-alerts.yml"], directory);
        Assert.That(check.ExitCode, Is.Zero, check.StdOut + check.StdErr);
        Assert.That(check.StdOut, Does.Contain("SUCCESS: 7 rules found"));
        var test = ProcessRunner.Run(promtool, ["test", "rules", "ledger-alerts.test.yml"], directory);
        Assert.That(test.ExitCode, Is.Zero, test.StdOut + test.StdErr);
    }

    /// <summary>Alert name → expression, from the rule file's groups.</summary>
    private static Dictionary<string, string> Expressions(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path)) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var result = new Dictionary<string, string>();
        foreach (var group in ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>())
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
                result.Add(((YamlScalarNode)rule["alert"]).Value!, ((YamlScalarNode)rule["expr"]).Value!);
        return result;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository (Ledger.sln) above " + AppContext.BaseDirectory);
    }
}
