using System.Globalization;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;
using Ledger.TestKit.Builders;
using Ledger.TestKit.Network;
using Ledger.TestKit.Transport;

namespace Ledger.Analytics.Tests;

/// <summary>
/// A one-validator devnet made by the real <c>ledger network init</c>, its node run as a real <c>ledger node</c> process,
/// with an employer and an Observer certified by its root CA and a Worker by its Guangzhou CA.
/// </summary>
internal sealed class OneNodeDevnet : IDisposable
{
    public const string WorkerIdNumber = "440106199001011235";

    private readonly CertificateAuthority _root;

    private OneNodeDevnet(CertificateAuthority root, DirectoryInfo directory, int basePort, GenesisDocument genesis, CallerIdentity employer, CreditCode creditCode, CallerIdentity observer,
        TestParty worker, LedgerProcess node)
    {
        _root = root;
        Directory = directory;
        BasePort = basePort;
        Genesis = genesis;
        Employer = employer;
        EmployerCreditCode = creditCode;
        Observer = observer;
        Worker = worker;
        Node = node;
        Transport = TestTransport.ForNetwork(directory.FullName);
    }

    public DirectoryInfo Directory { get; }
    public int BasePort { get; }
    public GenesisDocument Genesis { get; }
    public CallerIdentity Employer { get; }
    public CreditCode EmployerCreditCode { get; }
    public CallerIdentity Observer { get; }
    public TestParty Worker { get; }
    public LedgerProcess Node { get; }
    public TestTransport Transport { get; }
    public string GenesisPath => Path.Combine(Directory.FullName, "genesis.json");
    public Uri GrpcAddress => new($"https://127.0.0.1:{BasePort}");

    public static async Task<OneNodeDevnet> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("ledger-analytics-");
        var basePort = LedgerProcess.FreePortRange(5);
        var (exit, output) = LedgerProcess.Run(["network", "init", "--preset", "devnet", "--validators", "1", "--out", directory.FullName,
            "--base-port", basePort.ToString(CultureInfo.InvariantCulture), "--kdf-iterations", "1000"]);
        if (exit != 0) throw new InvalidOperationException($"network init failed: {output}");
        var passphrase = File.ReadAllText(Path.Combine(directory.FullName, "passphrase")).Trim();
        var genesis = GenesisDocument.FromJson(File.ReadAllText(Path.Combine(directory.FullName, "genesis.json")));
        var root = CertificateAuthority.FromCertificate(LedgerCertificate.FromPem(genesis.RootCertificate),
            KeyFile.Load(Path.Combine(directory.FullName, "ca", "root.key"), passphrase, KeyFileOptions.ForTests));
        var creditCode = TestConsortium.MakeCreditCode("91440101708300011");
        CallerIdentity Issue(string name, Role role, string division, CreditCode? code = null)
        {
            var key = Sm2PrivateKey.Generate();
            return new CallerIdentity(root.Issue(new CertificateRequest(name, role, DivisionCode.Parse(division), key.PublicKey,
                DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), code)), key);
        }
        var worker = TestWorkers.Issue(TestWorkers.LoadCityCa(directory.FullName, "guangzhou", passphrase), TestWorkers.ReadPseudonymKey(directory.FullName), WorkerIdNumber);
        var node = LedgerProcess.Start("node", "--config", Path.Combine(directory.FullName, "nodes", "guangdong", "config.json"));
        var devnet = new OneNodeDevnet(root, directory, basePort, genesis, Issue("Analytics Employer Co.", Role.Employer, "440100", creditCode), creditCode,
            Issue("Analytics Observer", Role.Observer, "440000"), worker, node);
        await devnet.WaitHealthyAsync();
        return devnet;
    }

    /// <summary>A certificate of the devnet's root CA, valid from yesterday for a year.</summary>
    public CallerIdentity Issue(string name, Role role, string division)
    {
        var key = Sm2PrivateKey.Generate();
        return new CallerIdentity(_root.Issue(new CertificateRequest(name, role, DivisionCode.Parse(division), key.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1))), key);
    }

    public LedgerClient Connect(CallerIdentity identity) =>
        LedgerClient.Connect(GrpcAddress.ToString(), new LedgerClientOptions { TransportCa = Transport.Trust, Identity = identity });

    private async Task WaitHealthyAsync()
    {
        using var http = Transport.Http(TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (Node.HasExited) throw new InvalidOperationException($"the node exited:\n{Node.Output}");
            try
            {
                if ((await http.GetAsync(new Uri($"https://127.0.0.1:{BasePort + 1}/healthz"))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the node did not become healthy:\n{Node.Output}");
    }

    public void Dispose()
    {
        Node.Dispose();
        Directory.Delete(recursive: true);
    }
}
