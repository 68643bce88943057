namespace Ledger.Cli.Tests.Commands;

/// <summary><c>ledger indexer</c> and <c>ledger analytics</c> refuse bad input on one line, exit 2, before contacting anything.</summary>
public class AnalyticsCommandTests
{
    private readonly CliHarness _cli = new();

    [Test]
    public void Indexer_without_its_genesis_file_is_one_line_exit_2()
    {
        var (exit, _, error) = _cli.Run(["indexer", "--node", "https://127.0.0.1:1", "--postgres", "Host=127.0.0.1", "--genesis", "/nonexistent/genesis.json",
            "--cert", "c.pem", "--key", "k.key"]);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.Contain("--genesis /nonexistent/genesis.json: no such file").And.Not.Contain("\n"));
    }

    [Test]
    public void Analytics_service_refuses_plaintext_without_insecure()
    {
        var genesis = Path.GetTempFileName();
        try
        {
            File.WriteAllText(genesis, "{}");
            var (exit, _, error) = _cli.Run(["analytics", "--postgres", "Host=127.0.0.1", "--genesis", genesis, "--urls", "http://127.0.0.1:1"]);
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.Trim(), Does.Not.Contain("\n"));
        }
        finally
        {
            File.Delete(genesis);
        }
    }
}
