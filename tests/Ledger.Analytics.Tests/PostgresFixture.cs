using Ledger.TestKit;

namespace Ledger.Analytics.Tests;

/// <summary>One throw-away PostgreSQL cluster for the whole assembly; each test takes a database of its own.</summary>
[SetUpFixture]
public sealed class PostgresFixture
{
    private static PostgresCluster? _cluster;

    public static PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("the PostgreSQL cluster is not started");

    [OneTimeSetUp]
    public void Start() => _cluster = PostgresCluster.Start(new Dictionary<string, string> { ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off" });

    [OneTimeTearDown]
    public void Stop() => _cluster?.Dispose();
}
