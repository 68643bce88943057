using Ledger.Explorer.Tests.Support;

namespace Ledger.Explorer.Tests.Api;

/// <summary>The explorer's /metrics (a real `ledger explorer` process): request latency by route template and status.</summary>
public class ExplorerMetricsTests
{
    private static ExplorerNetwork Network => ExplorerNetwork.Instance;

    [Test]
    public async Task Requests_are_counted_by_route_template_not_by_raw_path()
    {
        using var http = Network.Transport.Http(TimeSpan.FromSeconds(60));
        http.BaseAddress = Network.ExplorerUrl;
        (await http.GetAsync("/api/overview")).EnsureSuccessStatusCode();
        await Network.SignInAsync(http);   // a tx is looked up for signed-in staff only (else 401 before any lookup)
        var missing = await http.GetAsync("/api/tx/" + new string('0', 64));
        Assert.That((int)missing.StatusCode, Is.EqualTo(404));

        var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.Content.Headers.ContentType?.ToString(), Does.StartWith("text/plain; version=0.0.4"));
        Assert.That(text, Does.Contain("# TYPE ledger_explorer_request_seconds histogram"));
        Assert.That(text, Does.Match("(?m)^ledger_explorer_request_seconds_count\\{route=\"/api/overview\",status=\"200\"\\} [1-9]"));
        Assert.That(text, Does.Match("(?m)^ledger_explorer_request_seconds_count\\{route=\"/api/tx/\\{id\\}\",status=\"404\"\\} [1-9]"));
        Assert.That(text, Does.Not.Contain("0000000000000000"), "no raw path, so no series per id");
        Assert.That(text, Does.Match("(?m)^ledger_explorer_node_reachable 1$"));
    }
}
