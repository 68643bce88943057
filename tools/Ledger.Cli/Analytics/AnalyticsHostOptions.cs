using Ledger.Core.Genesis;
using Npgsql;

namespace Ledger.Cli.Analytics;

/// <summary>Where and how <c>ledger analytics</c> serves: its URL, the genesis its callers' certificates chain to, its database, its TLS key pair.</summary>
public sealed record AnalyticsHostOptions
{
    public required string Url { get; init; }
    public required GenesisDocument Genesis { get; init; }
    public required NpgsqlDataSource DataSource { get; init; }
    public string? TlsCertificatePath { get; init; }
    public string? TlsKeyPath { get; init; }
}
