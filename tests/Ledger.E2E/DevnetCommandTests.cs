using System.Net.Sockets;
using Grpc.Net.Client;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// The README's main job, <c>ledger devnet</c>, as a user runs it: every service a child process, a tx committed on
/// every validator, and no process left behind whether the devnet is stopped with SIGTERM or killed outright.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DevnetCommandTests
{
    private const int Validators = 2;

    [Test]
    public async Task The_devnet_commits_on_every_validator_and_stops_all_its_processes_on_SIGTERM()
    {
        using var devnet = new DevnetFixture(Validators);
        using var process = LedgerProcess.Start("devnet", "--dir", devnet.Directory.FullName);
        for (var i = 0; i < Validators; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), process);
        await WaitListeningAsync(SignerHttp(devnet), process);
        await WaitListeningAsync(CaProcess(devnet), process);
        await WaitListeningAsync(Explorer(devnet), process);
        Assert.That(process.Output, Does.Contain("resuming the devnet").And.Contain($"running {Validators + 3} processes"), "the validators, the CA process, the signer, the explorer");
        Assert.That(process.Output, Does.Not.Contain("restarting"), "no service died while the devnet came up");

        var (envelope, contractId) = devnet.NewRegistration();
        using (var first = devnet.Channel(0))
        using (var second = devnet.Channel(1))
        {
            var submitted = await devnet.Client(first).SubmitAsync(DevnetFixture.Submit(envelope));
            var committed = await devnet.Client(second).WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 30_000 });
            Assert.That(committed.ContractId, Is.EqualTo(contractId));
        }
        // The explorer reads the same chain and checks against the devnet's genesis.
        using (var http = devnet.Transport.Http())
        {
            // The public sees the document anchored (NewRegistration anchors SM3 of the contract id), never the contract.
            var documentHash = Ledger.Crypto.Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(contractId));
            var document = await http.GetStringAsync(new Uri(Explorer(devnet), $"/api/documents/{documentHash}"));
            Assert.That(document, Does.Contain("\"anchored\":true").And.Not.Contain(contractId));
            var contract = await http.GetAsync(new Uri(Explorer(devnet), $"/api/contracts/{contractId}"));
            Assert.That((int)contract.StatusCode, Is.EqualTo(401), "contracts are for signed-in staff");
            var overview = await http.GetStringAsync(new Uri(Explorer(devnet), "/api/overview"));
            Assert.That(overview, Does.Contain(devnet.ChainId));
        }

        Assert.That(process.Stop(TimeSpan.FromSeconds(30)), Is.Zero, process.Output);
        for (var i = 0; i < Validators; i++)
            Assert.That(Listening(devnet.HttpAddress(i)), Is.False, $"validator {i} still serves after the devnet stopped:\n{process.Output}");
        Assert.That(Listening(SignerHttp(devnet)), Is.False, "the signer still serves after the devnet stopped");
        Assert.That(Listening(CaProcess(devnet)), Is.False, "the CA process still serves after the devnet stopped");
        Assert.That(Listening(Explorer(devnet)), Is.False, "the explorer still serves after the devnet stopped");
        Assert.That(process.Output, Does.Contain("stopped"));
    }

    /// <summary>
    /// <c>ledger devnet --analytics</c>: PostgreSQL by scripts/postgres.sh, the indexer following the chain into it, the
    /// analytics service and the explorer's dashboard over them; a city bureau is served its city and refused another.
    /// </summary>
    [Test]
    public async Task The_devnet_with_analytics_indexes_into_postgresql_and_serves_a_bureau_its_dashboard()
    {
        using var devnet = new DevnetFixture(Validators);
        var accounts = Ledger.Explorer.Staff.StaffAccounts.Empty();
        accounts.Add("gz-stats", Ledger.Explorer.Staff.StaffRole.Bureau, "广州市人力资源和社会保障局", "gz-stats-password-1", iterations: 1000, division: "440100");
        accounts.Save(Path.Combine(devnet.Directory.FullName, "explorer", "accounts.json"));
        using var process = LedgerProcess.Start("devnet", "--dir", devnet.Directory.FullName, "--analytics");
        var postgresPort = devnet.BasePort + 2 * Validators + 4;
        for (var i = 0; i < Validators; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), process);
        await WaitListeningAsync(Explorer(devnet), process);
        await WaitListeningAsync(new Uri($"https://127.0.0.1:{postgresPort}"), process);

        var (envelope, contractId) = devnet.NewRegistration();
        using (var channel = devnet.Channel(0))
        {
            var submitted = await devnet.Client(channel).SubmitAsync(DevnetFixture.Submit(envelope));
            await devnet.Client(channel).WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 30_000 });
        }
        // The indexer's fact of it, in the devnet's own database.
        await using (var source = Npgsql.NpgsqlDataSource.Create($"Host=127.0.0.1;Port={postgresPort};Username=ledger;Database=ledger"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                try
                {
                    await using var command = source.CreateCommand("SELECT count(*) FROM lifecycle_facts WHERE contract_id = $1");
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = contractId });
                    if ((long)(await command.ExecuteScalarAsync())! == 1) break;
                }
                catch (Npgsql.NpgsqlException)
                {
                    // The indexer has not made its schema yet.
                }
                if (process.HasExited || DateTime.UtcNow > deadline) Assert.Fail($"the registration was never indexed:\n{process.Output}");
                await Task.Delay(250);
            }
        }

        using (var http = devnet.Transport.Http())
        {
            Assert.That((int)(await http.GetAsync(new Uri(Explorer(devnet), "/api/dashboard"))).StatusCode, Is.EqualTo(401), "no dashboard for the anonymous");
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "gz-stats", ["password"] = "gz-stats-password-1", ["caseNumber"] = "统计" });
            // The client's cookie container keeps the session.
            Assert.That((await http.PostAsync(new Uri(Explorer(devnet), "/api/session"), form)).IsSuccessStatusCode, Is.True, "the bureau signs in");
            var answer = await http.GetAsync(new Uri(Explorer(devnet), "/api/dashboard"));
            Assert.That((int)answer.StatusCode, Is.EqualTo(200), await answer.Content.ReadAsStringAsync());
            Assert.That(await answer.Content.ReadAsStringAsync(), Does.Contain("\"division\":\"440100000000\""));
            Assert.That((int)(await http.GetAsync(new Uri(Explorer(devnet), "/api/dashboard?division=440300"))).StatusCode, Is.EqualTo(403), "Shenzhen is not Guangzhou's to see");
        }

        Assert.That(process.Stop(TimeSpan.FromSeconds(30)), Is.Zero, process.Output);
        Assert.That(Listening(new Uri($"https://127.0.0.1:{postgresPort}")), Is.False, "PostgreSQL still listens after the devnet stopped");

        // Under root with a temporary folder only root may enter, scripts/postgres.sh kept the cluster in /tmp under a name of its path.
        var cluster = Path.Combine(devnet.Directory.FullName, "analytics", "postgres");
        var fallback = "/tmp/ledger-pg-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(cluster)))[..16];
        if (System.IO.Directory.Exists(fallback)) System.IO.Directory.Delete(fallback, recursive: true);
    }

    [Test]
    public async Task Killing_the_devnet_process_stops_its_validators_too()
    {
        using var devnet = new DevnetFixture(Validators);
        using var process = LedgerProcess.Start("devnet", "--dir", devnet.Directory.FullName);
        for (var i = 0; i < Validators; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), process);
        await WaitListeningAsync(SignerHttp(devnet), process);
        await WaitListeningAsync(Explorer(devnet), process);

        process.Kill();
        Uri[] services = [.. Enumerable.Range(0, Validators).Select(i => devnet.HttpAddress(i)), SignerHttp(devnet), CaProcess(devnet), Explorer(devnet)];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && services.Any(Listening))
            await Task.Delay(200);
        foreach (var service in services)
            Assert.That(Listening(service), Is.False, $"{service} outlived its devnet");
    }

    [Test]
    public async Task A_validator_killed_under_the_devnet_is_restarted_and_serves_again()
    {
        using var devnet = new DevnetFixture(Validators);
        using var process = LedgerProcess.Start("devnet", "--dir", devnet.Directory.FullName);
        for (var i = 0; i < Validators; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), process);
        var victim = devnet.ValidatorNames[1];
        var pid = Pid(process.Output, victim);

        using (var child = System.Diagnostics.Process.GetProcessById(pid)) child.Kill();
        await WaitForOutputAsync(process, $"{victim}: restarted, pid ");
        Assert.That(process.Output, Does.Contain($"{victim} (pid {pid}) exited with code").And.Contain("restarting it in 1 s"));
        Assert.That(Pid(process.Output, victim, restarted: true), Is.Not.EqualTo(pid));
        await devnet.WaitHealthyAsync(1, TimeSpan.FromSeconds(120), process);

        // The restarted validator is back in the consortium: a tx submitted to it commits everywhere.
        var (envelope, contractId) = devnet.NewRegistration();
        using (var restarted = devnet.Channel(1))
        using (var other = devnet.Channel(0))
        {
            var submitted = await devnet.Client(restarted).SubmitAsync(DevnetFixture.Submit(envelope));
            var committed = await devnet.Client(other).WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 60_000 });
            Assert.That(committed.ContractId, Is.EqualTo(contractId));
        }

        Assert.That(process.Stop(TimeSpan.FromSeconds(30)), Is.Zero, process.Output);
        for (var i = 0; i < Validators; i++)
            Assert.That(Listening(devnet.HttpAddress(i)), Is.False, $"validator {i} still serves after the devnet stopped:\n{process.Output}");
    }

    [Test]
    public void A_port_in_use_is_one_line_and_nothing_starts()
    {
        using var devnet = new DevnetFixture(Validators);
        var taken = new TcpListener(System.Net.IPAddress.Loopback, devnet.HttpAddress(1).Port);
        taken.Start();
        try
        {
            var (exit, output) = LedgerProcess.Run("devnet", "--dir", devnet.Directory.FullName);
            Assert.That(exit, Is.EqualTo(2), output);
            var errors = output.Split('\n').Where(l => l.StartsWith("ledger: ", StringComparison.Ordinal)).ToArray();
            Assert.That(errors, Has.Length.EqualTo(1), output);
            Assert.That(errors[0], Does.Contain($"port {devnet.HttpAddress(1).Port} ({devnet.ValidatorNames[1]}'s HTTP) is already in use"));
            Assert.That(output, Does.Not.Contain("pid ").And.Not.Contain("   at "), "no child started, no stack trace");
            Assert.That(Listening(devnet.HttpAddress(0)), Is.False);
        }
        finally
        {
            taken.Stop();
        }
    }

    /// <summary>The pid the devnet printed for a service: "name: pid N, ..." when started, "name: restarted, pid N" after.</summary>
    private static int Pid(string output, string name, bool restarted = false)
    {
        var prefix = restarted ? $"{name}: restarted, pid " : $"{name}: pid ";
        var line = output.Split('\n').Last(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return int.Parse(new string(line[prefix.Length..].TakeWhile(char.IsAsciiDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForOutputAsync(LedgerProcess process, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!process.Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline) Assert.Fail($"the devnet never said '{text}':\n{process.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>The signer's CA process: after every other port network init hands out (explorer + 4 with no spares or observers).</summary>
    private static Uri CaProcess(DevnetFixture devnet) => new($"https://127.0.0.1:{devnet.BasePort + 2 * Validators + 6}");

    /// <summary>network init puts the first city's signer right after the validators' ports: gRPC, then HTTP.</summary>
    private static Uri SignerHttp(DevnetFixture devnet) => new($"https://127.0.0.1:{devnet.BasePort + 2 * Validators + 1}");

    private static Uri Explorer(DevnetFixture devnet) => new($"https://127.0.0.1:{devnet.BasePort + 2 * Validators + 2}");

    private static async Task WaitListeningAsync(Uri address, LedgerProcess process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Listening(address))
        {
            if (process.HasExited || DateTime.UtcNow > deadline) Assert.Fail($"{address} never served:\n{process.Output}");
            await Task.Delay(200);
        }
    }

    private static bool Listening(Uri address)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(address.Host, address.Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
