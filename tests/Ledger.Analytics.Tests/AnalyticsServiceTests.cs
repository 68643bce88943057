using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Cli.Analytics;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Proto.V1;
using Ledger.TestKit.Builders;
using Microsoft.AspNetCore.Builder;
using Npgsql;

namespace Ledger.Analytics.Tests;

/// <summary>The gRPC service over a real database: bureaus see their own division, nobody else sees anything.</summary>
public class AnalyticsServiceTests
{
    private NpgsqlDataSource _source = null!;
    private WebApplication _host = null!;
    private string _url = null!;
    private LayoffScenario _scenario = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var (_, source, indexer) = await IndexingTests.NewIndex();
        _source = source;
        _scenario = new LayoffScenario(indexer);
        await _scenario.HireAsync(60);
        await _scenario.DissolveAsync(6);
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            _url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        }
        _host = AnalyticsHost.Build(new AnalyticsHostOptions { Url = _url, Genesis = IndexingTests.TestNet.Genesis, DataSource = _source });
        await _host.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        await _source.DisposeAsync();
    }

    private AnalyticsService.AnalyticsServiceClient Client(Role? role, string division = "440100000000", CreditCode? creditCode = null)
    {
        var channel = GrpcChannel.ForAddress(_url);
        if (role is not { } r) return new AnalyticsService.AnalyticsServiceClient(channel);
        var key = Sm2PrivateKey.Generate();
        var certificate = IndexingTests.TestNet.Root.Issue(new CertificateRequest($"{r} {division}", r, DivisionCode.Parse(division), key.PublicKey,
            TestNetwork.NotBefore, TestNetwork.NotAfter, creditCode));
        return new AnalyticsService.AnalyticsServiceClient(global::Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(channel.CreateCallInvoker(),
            new CallSigningInterceptor(new CallerIdentity(certificate, key))));
    }

    private static async Task<RpcException> Refused(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException e)
        {
            return e;
        }
        throw new AssertionException("the call was not refused");
    }

    /// <summary>The ErrorInfo of the status details, as the node's errors carry it.</summary>
    private static ErrorCode? CodeOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>() is { } info && Enum.TryParse<ErrorCode>(info.Reason, out var code) ? code : null;

    [Test]
    public async Task A_city_bureau_gets_its_statistics_and_warnings()
    {
        var client = Client(Role.Bureau);
        var statistics = await client.GetStatisticsAsync(new StatisticsRequest { GroupLevel = Proto.V1.DivisionLevel.County });
        var row = statistics.Rows.Single();
        Assert.Multiple(() =>
        {
            Assert.That(row.Division, Is.EqualTo("440106000000"), "the contracts' place of work, Tianhe");
            Assert.That(row.PaperUploads, Is.EqualTo(60));
            Assert.That(row.Signed, Is.Zero);
            Assert.That(row.ESigningShare, Is.Zero);
            Assert.That(row.Dissolved, Is.EqualTo(6));
            Assert.That(row.DissolvedByBasis, Is.EquivalentTo(new Dictionary<string, long> { ["art41-layoff"] = 6 }));
            Assert.That(row.InForce, Is.EqualTo(54));
            Assert.That(row.AverageTermDays, Is.EqualTo(1095.0));
        });
        // Filtered by contract type: the scenario's contracts are all fixed-term.
        var fixedTerm = await client.GetStatisticsAsync(new StatisticsRequest { GroupLevel = Proto.V1.DivisionLevel.County, ContractType = Proto.V1.ContractType.FixedTerm });
        Assert.That(fixedTerm.Rows.Single(), Is.EqualTo(row));
        Assert.That((await client.GetStatisticsAsync(new StatisticsRequest { GroupLevel = Proto.V1.DivisionLevel.County, ContractType = Proto.V1.ContractType.OpenEnded })).Rows, Is.Empty);
        var warnings = await client.ListWarningsAsync(new ListWarningsRequest());
        Assert.That(warnings.Warnings.Single().Evidence.Select(e => e.ContractId), Is.EquivalentTo(_scenario.Dissolved.Select(d => d.ContractId)));
    }

    [Test]
    public async Task Another_city_bureau_sees_nothing_of_guangzhou_and_is_refused_its_division()
    {
        var shenzhen = Client(Role.Bureau, "440300000000");
        Assert.That((await shenzhen.GetStatisticsAsync(new StatisticsRequest { GroupLevel = Proto.V1.DivisionLevel.City })).Rows, Is.Empty);
        Assert.That((await shenzhen.ListWarningsAsync(new ListWarningsRequest())).Warnings, Is.Empty);
        var refused = await Refused(async () => await shenzhen.GetStatisticsAsync(new StatisticsRequest { Division = "440100000000" }));
        Assert.That(refused.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(CodeOf(refused), Is.EqualTo(ErrorCode.OutsideReadScope));
        var warning = (await Client(Role.Bureau).ListWarningsAsync(new ListWarningsRequest())).Warnings.Single();
        var acknowledge = await Refused(async () => await shenzhen.AcknowledgeWarningAsync(new AcknowledgeWarningRequest { Id = warning.Id }));
        Assert.That(CodeOf(acknowledge), Is.EqualTo(ErrorCode.OutsideReadScope));
    }

    [Test]
    public async Task Other_roles_and_anonymous_callers_are_refused_with_typed_errors()
    {
        var employer = Client(Role.Employer, "440106000000", TestNetwork.EmployerCreditCode);
        var denied = await Refused(async () => await employer.GetStatisticsAsync(new StatisticsRequest()));
        Assert.That(denied.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(CodeOf(denied), Is.EqualTo(ErrorCode.ReadNotPermitted));
        var anonymous = await Refused(async () => await Client(null).ListWarningsAsync(new ListWarningsRequest()));
        Assert.That(anonymous.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(CodeOf(anonymous), Is.EqualTo(ErrorCode.CallerCredentialsMissing));
        var malformed = await Refused(async () => await Client(Role.Bureau).GetStatisticsAsync(new StatisticsRequest { FromMonth = "2026-13" }));
        Assert.That(malformed.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        var badType = await Refused(async () => await Client(Role.Bureau).GetStatisticsAsync(new StatisticsRequest { ContractType = (Proto.V1.ContractType)9 }));
        Assert.That(badType.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(badType.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.Single().Field, Is.EqualTo("contract_type"));
    }

    /// <summary>The one warning as raised, unacknowledged: the tests that acknowledge it each start from there.</summary>
    private async Task ReopenAsync(long id)
    {
        await using var command = _source.CreateCommand("UPDATE warnings SET acknowledged_at = NULL, acknowledged_by = NULL, acknowledged_by_id = NULL WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await command.ExecuteNonQueryAsync();
    }

    [Test]
    public async Task A_bureau_acknowledges_a_warning_of_its_division()
    {
        var client = Client(Role.Bureau);
        var warning = (await client.ListWarningsAsync(new ListWarningsRequest())).Warnings.Single();
        await ReopenAsync(warning.Id);
        var acknowledged = await client.AcknowledgeWarningAsync(new AcknowledgeWarningRequest { Id = warning.Id });
        Assert.That(acknowledged.AcknowledgedAt, Is.GreaterThan(0));
        Assert.That(acknowledged.AcknowledgedBy, Does.Contain("Bureau 440100000000"));
    }

    [Test]
    public async Task An_observer_is_served_within_its_division_and_acknowledges_only_for_a_named_person()
    {
        var province = Client(Role.Observer, "440000000000");
        var cities = await province.GetStatisticsAsync(new StatisticsRequest { GroupLevel = Proto.V1.DivisionLevel.City });
        Assert.That(cities.Rows.Single().Division, Is.EqualTo("440100000000"));
        var warning = (await province.ListWarningsAsync(new ListWarningsRequest { Division = "440100000000" })).Warnings.Single();
        await ReopenAsync(warning.Id);

        // An explorer of Shenzhen's (an Observer certificate of 440300) is refused Guangzhou, as a Shenzhen bureau is.
        var shenzhen = Client(Role.Observer, "440300000000");
        var outside = await Refused(async () => await shenzhen.GetStatisticsAsync(new StatisticsRequest { Division = "440100000000" }));
        Assert.That(CodeOf(outside), Is.EqualTo(ErrorCode.OutsideReadScope));

        var nobody = await Refused(async () => await province.AcknowledgeWarningAsync(new AcknowledgeWarningRequest { Id = warning.Id }));
        Assert.That(nobody.StatusCode, Is.EqualTo(StatusCode.InvalidArgument), "a service acknowledges for a person, never for itself");
        var viewerOutside = await Refused(async () => await province.AcknowledgeWarningAsync(
            new AcknowledgeWarningRequest { Id = warning.Id, OnBehalfOf = "Bureau:深圳市人社局/sz1", Division = "440300000000" }));
        Assert.That(CodeOf(viewerOutside), Is.EqualTo(ErrorCode.OutsideReadScope), "the viewer's division binds the acknowledgement");
        Assert.That((await province.ListWarningsAsync(new ListWarningsRequest { Division = "440100000000" })).Warnings.Single().AcknowledgedAt, Is.Zero);

        var acknowledged = await province.AcknowledgeWarningAsync(new AcknowledgeWarningRequest { Id = warning.Id, OnBehalfOf = "Bureau:广州市人社局/gz1", Division = "440100000000" });
        Assert.That(acknowledged.AcknowledgedBy, Does.StartWith("Bureau:广州市人社局/gz1 via ").And.Contain("CN=Observer 440000000000"));
    }
}
