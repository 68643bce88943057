using System.Net;
using System.Net.Sockets;
using Ledger.Analytics.Indexing;
using Ledger.Analytics.Warnings;
using Ledger.Cli.Analytics;
using Ledger.Core;
using Ledger.TestKit;
using Ledger.TestKit.Builders;
using Microsoft.AspNetCore.Builder;
using Npgsql;

namespace Ledger.Explorer.Tests.Support;

/// <summary>
/// What the bureau dashboard reads from: a real PostgreSQL cluster (Debian's, <see cref="PostgresCluster"/>), a generated
/// history of contracts across the 21 cities indexed into it through the indexer's own path (certified blocks → facts and
/// warnings), <c>ledger.v1.AnalyticsService</c> over it (callers' certificates checked against the devnet's genesis), and an
/// explorer in front of the shared devnet's node with <c>--analytics</c> and bureau accounts of Guangzhou, Shenzhen and the
/// province. The history spans the five months before this one (block time, UTC+8), inside the dashboard's default year.
/// </summary>
public sealed class DashboardStack : IAsyncDisposable
{
    public const string Password = ExplorerNetwork.StaffPassword;
    public const string GuangzhouUser = "gz-stats1";
    public const string ShenzhenUser = "sz-stats1";
    public const string ProvinceUser = "gd-stats1";
    public const string CourtUser = "court-stats1";
    public const string Reference = "粤人社统〔2026〕7号";

    private readonly PostgresCluster _cluster;
    private readonly NpgsqlDataSource _source;
    private readonly WebApplication _analytics;
    private readonly ExplorerHost _explorer;
    private readonly DirectoryInfo _directory;

    private DashboardStack(PostgresCluster cluster, NpgsqlDataSource source, WebApplication analytics, ExplorerHost explorer, DirectoryInfo directory, ContractHistory history)
    {
        _cluster = cluster;
        _source = source;
        _analytics = analytics;
        _explorer = explorer;
        _directory = directory;
        History = history;
    }

    public ContractHistory History { get; }

    public Uri ExplorerUrl => _explorer.Url;

    public NpgsqlDataSource Database => _source;

    public static async Task<DashboardStack> StartAsync(ExplorerNetwork network)
    {
        var cluster = PostgresCluster.Start(new Dictionary<string, string> { ["fsync"] = "off", ["synchronous_commit"] = "off" });
        NpgsqlDataSource? source = null;
        WebApplication? analytics = null;
        var directory = Directory.CreateTempSubdirectory("ledger-dashboard-");
        try
        {
            source = NpgsqlDataSource.Create(cluster.CreateDatabase());
            var history = await IndexHistoryAsync(source);

            var analyticsUrl = $"http://127.0.0.1:{FreePort()}";
            analytics = AnalyticsHost.Build(new AnalyticsHostOptions { Url = analyticsUrl, Genesis = network.Genesis, DataSource = source });
            await analytics.StartAsync();

            var accounts = Staff.StaffAccounts.Empty();
            accounts.Add(GuangzhouUser, Staff.StaffRole.Bureau, "广州市人力资源和社会保障局", Password, iterations: 1000, division: "440100");
            accounts.Add(ShenzhenUser, Staff.StaffRole.Bureau, "深圳市人力资源和社会保障局", Password, iterations: 1000, division: "440300");
            accounts.Add(ProvinceUser, Staff.StaffRole.Bureau, "广东省人力资源和社会保障厅", Password, iterations: 1000, division: "440000");
            accounts.Add(CourtUser, Staff.StaffRole.Court, "天河区人民法院", Password, iterations: 1000);
            var accountsPath = Path.Combine(directory.FullName, "accounts.json");
            accounts.Save(accountsPath);

            // Plain http for the pages (in-process, loopback); the node link is the devnet's TLS with its transport CA.
            var explorer = await ExplorerHost.StartAsync(new ExplorerOptions
            {
                NodeUrl = network.NodeUrl.ToString(),
                Urls = "http://127.0.0.1:0",
                Insecure = true,
                TransportCaPath = Path.Combine(network.Directory.FullName, "transport-ca.pem"),
                GenesisPath = network.GenesisPath,
                Identity = network.Operator,
                AccountsPath = accountsPath,
                AnalyticsUrl = analyticsUrl,
            });
            return new DashboardStack(cluster, source, analytics, explorer, directory, history);
        }
        catch
        {
            if (analytics is not null) await analytics.DisposeAsync();
            if (source is not null) await source.DisposeAsync();
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>
    /// 6,000 events of 150 employers in blocks of 100 over the five months before this one; art. 41 warnings from 2
    /// economic dismissals at one employer within 30 days, or 10 % of its workforce (a low count, so a small history raises some).
    /// </summary>
    private static async Task<ContractHistory> IndexHistoryAsync(NpgsqlDataSource source)
    {
        var network = TestNetwork.Create(4);
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var start = new DateTimeOffset(now.Year, now.Month, 1, 9, 0, 0, TimeSpan.FromHours(8)).AddMonths(-5);
        var end = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddDays(-1);
        var history = new ContractHistory(network, seed: 41, employers: 150, start: start);
        var store = new FactStore(source, network.ChainId, IndexScope.Observer, new WarningOptions { LayoffCount = 2 });
        await store.InitializeAsync();
        var indexer = new ChainIndexer(null!, new BlockVerifier(network.Genesis), store);
        const int events = 6_000, perBlock = 100;
        var interval = TimeSpan.FromTicks((end - start).Ticks / (events / perBlock));
        Hash32? parent = null;
        foreach (var block in history.Blocks(totalEvents: events, perBlock: perBlock, interval: interval))
            parent = await indexer.IndexAsync(block, parent);
        return history;
    }

    public async Task<IReadOnlyList<WarningRecord>> OpenWarningsAsync(string division) =>
        await new WarningStore(_source).ListAsync(Core.Identity.DivisionCode.Parse(division), unacknowledgedOnly: true, limit: 500);

    public async Task<WarningRecord?> WarningAsync(long id) => await new WarningStore(_source).GetAsync(id);

    public async ValueTask DisposeAsync()
    {
        await _explorer.DisposeAsync();
        await _analytics.StopAsync();
        await _analytics.DisposeAsync();
        await _source.DisposeAsync();
        _cluster.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
