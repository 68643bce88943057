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
        await WaitListeningAsync(Explorer(devnet), process);
        Assert.That(process.Output, Does.Contain("resuming the devnet").And.Contain($"running {Validators + 2} processes"));

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
            var contract = await http.GetStringAsync(new Uri(Explorer(devnet), $"/api/contracts/{contractId}"));
            Assert.That(contract, Does.Contain(contractId));
            var overview = await http.GetStringAsync(new Uri(Explorer(devnet), "/api/overview"));
            Assert.That(overview, Does.Contain(devnet.ChainId));
        }

        Assert.That(process.Stop(TimeSpan.FromSeconds(30)), Is.Zero, process.Output);
        for (var i = 0; i < Validators; i++)
            Assert.That(Listening(devnet.HttpAddress(i)), Is.False, $"validator {i} still serves after the devnet stopped:\n{process.Output}");
        Assert.That(Listening(SignerHttp(devnet)), Is.False, "the signer still serves after the devnet stopped");
        Assert.That(Listening(Explorer(devnet)), Is.False, "the explorer still serves after the devnet stopped");
        Assert.That(process.Output, Does.Contain("stopped"));
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
        Uri[] services = [.. Enumerable.Range(0, Validators).Select(i => devnet.HttpAddress(i)), SignerHttp(devnet), Explorer(devnet)];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && services.Any(Listening))
            await Task.Delay(200);
        foreach (var service in services)
            Assert.That(Listening(service), Is.False, $"{service} outlived its devnet");
    }

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
