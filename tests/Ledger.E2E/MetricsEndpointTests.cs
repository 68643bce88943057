using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Net.Client;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// /metrics of a real node host (Kestrel, HTTP/1.1 port): System.Diagnostics.Metrics instruments exported by
/// prometheus-net — the names operators and dashboards rely on, the latency histograms, and label values escaped so a
/// hostile value (a node name with quotes, a backslash and a newline) cannot forge or break a sample line.
/// </summary>
[NonParallelizable]
public partial class MetricsEndpointTests
{
    private const string HostileName = "gz \"node\"\\ 1\nledger_height{node=\"forged\"} 999";

    [Test]
    public async Task Metrics_of_a_node_are_prometheus_text_with_histograms_and_escaped_labels()
    {
        using var devnet = new DevnetFixture();
        var config = NodeConfig.Load(devnet.NodeConfig()) with { Name = HostileName, GrpcListen = "127.0.0.1:0", HttpListen = "127.0.0.1:0" };
        await using var node = await NodeHost.StartAsync(config, logging: _ => { });
        using var channel = devnet.Transport.Channel(node.GrpcEndpoint);
        var client = new Rpc.LedgerService.LedgerServiceClient(channel);
        var (envelope, _) = devnet.NewRegistration();
        var submitted = await client.SubmitAsync(DevnetFixture.Submit(envelope));
        var committed = await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 60_000 });
        Assert.That(committed.ReceiptCode, Is.Zero);
        Assert.That(async () => await client.SubmitAsync(DevnetFixture.Submit(envelope)), Throws.InstanceOf<Grpc.Core.RpcException>(), "a duplicate, refused");

        using var http = devnet.Transport.Http();
        var response = await http.GetAsync(new Uri(node.HttpEndpoint, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.Content.Headers.ContentType?.ToString(), Does.StartWith("text/plain; version=0.0.4"));

        // Every line is a comment or one well-formed sample: the newline and the quotes in the name stayed escaped.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.That(line.StartsWith('#') || Sample().IsMatch(line), Is.True, $"not a sample line: {line}");
        Assert.That(text, Does.Not.Contain("node=\"forged\""));
        Assert.That(text, Does.Contain("node=\"gz \\\"node\\\"\\\\ 1\\nledger_height{node=\\\"forged\\\"} 999\""));

        // The names tests, docs and dashboards use.
        foreach (var name in new[] { "ledger_height", "ledger_mempool_transactions", "ledger_blocks_committed_total", "ledger_submissions_total", "ledger_admissions_total", "ledger_validators" })
            Assert.That(text, Does.Match($"(?m)^{name}\\{{[^\\n]*\\}} [0-9]"), name);
        Assert.That(text, Does.Match("(?m)^ledger_height\\{[^\\n]*\\} [1-9]"), "the committed block is counted");
        Assert.That(text, Does.Match("(?m)^ledger_admission_rejections_total\\{[^\\n]*code=\"DuplicateTransaction\"[^\\n]*\\} 1"));

        // The latency histograms.
        Assert.That(text, Does.Contain("# TYPE ledger_admission_seconds histogram"));
        Assert.That(text, Does.Match("(?m)^ledger_admission_seconds_count\\{[^\\n]*result=\"admitted\"[^\\n]*\\} 1"));
        Assert.That(text, Does.Match("(?m)^ledger_admission_seconds_count\\{[^\\n]*result=\"refused\"[^\\n]*\\} 1"));
        Assert.That(text, Does.Match("(?m)^ledger_block_commit_seconds_count\\{[^\\n]*\\} [1-9]"));
        Assert.That(text, Does.Match("(?m)^ledger_wait_for_commit_seconds_count\\{[^\\n]*outcome=\"committed\"[^\\n]*\\} 1"));
        Assert.That(text, Does.Match("(?m)^ledger_wait_for_commit_seconds_bucket\\{(?=[^\\n]*le=\"\\+Inf\")(?=[^\\n]*outcome=\"committed\")[^\\n]*\\} 1"));
    }

    // name{label="value",...} number — values may hold any character but an unescaped quote, backslash or newline.
    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? [-+0-9.eE]+(Inf|NaN)?( [0-9]+)?$")]
    private static partial Regex Sample();
}
