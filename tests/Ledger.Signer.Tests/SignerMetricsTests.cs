namespace Ledger.Signer.Tests;

/// <summary>The signer's /metrics on its real host: System.Diagnostics.Metrics instruments exported by prometheus-net.</summary>
public class SignerMetricsTests
{
    [Test]
    public async Task Metrics_count_enrolments_and_refusals_in_prometheus_text()
    {
        using var bed = new SignerTestBed();
        await using var host = await bed.StartHostAsync();
        bed.EnrolWorker(host.Service);
        bed.EnrolEmployer(host.Service);

        using var http = bed.Transport.Http();
        var response = await http.GetAsync(new Uri(host.HttpEndpoint, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.Content.Headers.ContentType?.ToString(), Does.StartWith("text/plain; version=0.0.4"));
        Assert.That(text, Does.Match("(?m)^ledger_signer_enrolments_total 2$"));
        Assert.That(text, Does.Match("(?m)^ledger_signer_confirmations_total 0$"));
        Assert.That(text, Does.Match("(?m)^ledger_signer_audit_head [1-9]"), "each enrolment is an audit record");
        Assert.That(text, Does.Contain("# HELP ledger_signer_enrolments_total"));
    }
}
