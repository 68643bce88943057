using System.Net.Sockets;
using Grpc.Net.Client;
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
        Assert.That(process.Output, Does.Contain("resuming the devnet").And.Contain($"running {Validators} processes"));

        var (envelope, contractId) = devnet.NewRegistration();
        using (var first = GrpcChannel.ForAddress(devnet.GrpcAddress(0)))
        using (var second = GrpcChannel.ForAddress(devnet.GrpcAddress(1)))
        {
            var submitted = await devnet.Client(first).SubmitAsync(DevnetFixture.Submit(envelope));
            var committed = await devnet.Client(second).WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 30_000 });
            Assert.That(committed.ContractId, Is.EqualTo(contractId));
        }

        Assert.That(process.Stop(TimeSpan.FromSeconds(30)), Is.Zero, process.Output);
        for (var i = 0; i < Validators; i++)
            Assert.That(Listening(devnet.HttpAddress(i)), Is.False, $"validator {i} still serves after the devnet stopped:\n{process.Output}");
        Assert.That(process.Output, Does.Contain("stopped"));
    }

    [Test]
    public async Task Killing_the_devnet_process_stops_its_validators_too()
    {
        using var devnet = new DevnetFixture(Validators);
        using var process = LedgerProcess.Start("devnet", "--dir", devnet.Directory.FullName);
        for (var i = 0; i < Validators; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), process);

        process.Kill();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && Enumerable.Range(0, Validators).Any(i => Listening(devnet.HttpAddress(i))))
            await Task.Delay(200);
        for (var i = 0; i < Validators; i++)
            Assert.That(Listening(devnet.HttpAddress(i)), Is.False, $"validator {i} outlived its devnet");
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
