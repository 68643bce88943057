using Ledger.Explorer.Tests.Support;
using Ledger.TestKit;

namespace Ledger.Explorer.Tests.Api;

/// <summary><c>ledger explorer</c> refuses bad usage with exit 2 and one line, never a stack trace.</summary>
public class ExplorerCommandTests
{
    [TestCase("explorer")]
    [TestCase("explorer", "--node", "ftp://127.0.0.1:1")]
    [TestCase("explorer", "--insecure", "--node", "http://127.0.0.1:1", "--genesis", "/no/such/genesis.json")]
    [TestCase("explorer", "--insecure", "--node", "http://127.0.0.1:1", "--urls", "not a url")]
    [TestCase("explorer", "--node", "http://127.0.0.1:1", "--urls", "https://127.0.0.1:0")]
    [TestCase("explorer", "--node", "https://127.0.0.1:1", "--urls", "https://127.0.0.1:0")]
    [TestCase("explorer", "--insecure", "--node", "http://127.0.0.1:1", "--urls", "https://127.0.0.1:0")]
    [TestCase("explorer", "--node", "https://127.0.0.1:1", "--transport-ca", "/no/such/ca.pem", "--tls-cert", "/no/such/tls.pem", "--tls-key", "/no/such/tls.key")]
    // The dashboard's statistics are asked for with the operator's certificate: --analytics without one, or a bad URL.
    [TestCase("explorer", "--insecure", "--node", "http://127.0.0.1:1", "--urls", "http://127.0.0.1:0", "--analytics", "http://127.0.0.1:2")]
    public void Bad_usage_is_exit_2_with_one_line(params string[] args)
    {
        var (exit, output) = LedgerProcess.Run(args);
        Assert.That(exit, Is.EqualTo(2), output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), output);
        Assert.That(lines[0], Does.StartWith("ledger: "));
    }

    [Test]
    public void Plain_http_is_refused_without_insecure_and_named_as_the_reason()
    {
        var (exit, output) = LedgerProcess.Run("explorer", "--node", "http://127.0.0.1:1", "--urls", "https://127.0.0.1:0");
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("--insecure"));
    }

    [Test]
    public void A_port_in_use_is_exit_2_with_one_line()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var (exit, output) = LedgerProcess.Run("explorer", "--insecure", "--node", "http://127.0.0.1:1", "--urls", $"http://127.0.0.1:{port}");
            Assert.That(exit, Is.EqualTo(2), output);
            Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), output);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Test]
    public void A_genesis_that_is_not_one_is_refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{ \"not\": \"genesis\" }");
            var (exit, output) = LedgerProcess.Run("explorer", "--insecure", "--node", "http://127.0.0.1:1", "--urls", "http://127.0.0.1:0", "--genesis", path);
            Assert.That(exit, Is.EqualTo(2), output);
            Assert.That(output, Does.Contain("genesis"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
