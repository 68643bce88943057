using Google.Protobuf;
using Grpc.Net.Client;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;
using Ledger.TestKit.Builders;
using Ledger.TestKit.Network;
using Ledger.TestKit.Transport;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// A one-validator devnet made by the real <c>ledger network init</c> in a temp directory, plus an employer
/// whose certificate the network's root CA issues (read from the key file the init wrote), to sign load.
/// </summary>
public sealed class DevnetFixture : IDisposable
{
    private long _nonce = Environment.TickCount64;
    private readonly int _observerBase;

    /// <summary>Observer <paramref name="number"/>'s (from 1) config, made by network init --observers.</summary>
    public string ObserverConfig(int number = 1) => Path.Combine(Directory.FullName, "observers", $"observer-{number}", "config.json");

    public Uri ObserverGrpcAddress(int number = 1) => new($"https://127.0.0.1:{_observerBase + 2 * (number - 1)}");

    public Uri ObserverHttpAddress(int number = 1) => new($"https://127.0.0.1:{_observerBase + 2 * (number - 1) + 1}");

    /// <param name="spares">Validators prepared but not in genesis (network init --spare-validators), for governance tests.</param>
    /// <param name="observers">Observer nodes (network init --observers).</param>
    public DevnetFixture(int validators = 1, string preset = "devnet", int spares = 0, int observers = 0)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ledger-e2e-");
        // Two ports per validator, then the first city's signer (gRPC, HTTP) and the explorer, then two per spare validator,
        // then two per observer; the signer's CA process after all of them and the anchoring and analytics ports.
        BasePort = LedgerProcess.FreePortRange(2 * validators + 7 + 2 * spares + 2 * observers);
        _observerBase = BasePort + 2 * validators + 3 + 2 * spares;
        string[] count = preset == "devnet" ? ["--validators", validators.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        if (spares > 0) count = [.. count, "--spare-validators", spares.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (observers > 0) count = [.. count, "--observers", observers.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var (exit, output) = LedgerProcess.Run(["network", "init", "--preset", preset, .. count,
            "--out", Directory.FullName, "--base-port", BasePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--kdf-iterations", "1000"]);
        if (exit != 0) throw new InvalidOperationException($"network init failed: {output}");
        var passphrase = File.ReadAllText(Path.Combine(Directory.FullName, "passphrase")).Trim();
        var genesis = Core.Genesis.GenesisDocument.FromJson(File.ReadAllText(Path.Combine(Directory.FullName, "genesis.json")));
        ChainId = genesis.ChainId;
        var rootKey = KeyFile.Load(Path.Combine(Directory.FullName, "ca", "root.key"), passphrase, KeyFileOptions.ForTests);
        var root = CertificateAuthority.FromCertificate(LedgerCertificate.FromPem(genesis.RootCertificate), rootKey);
        Root = root;
        var employerKey = Sm2PrivateKey.Generate();
        EmployerCreditCode = TestConsortium.MakeCreditCode("91440101708300011");
        var employerCertificate = root.Issue(new CertificateRequest("E2E Employer Co.", Role.Employer, DivisionCode.Parse("440100"), employerKey.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), EmployerCreditCode));
        Employer = new TestParty("employer", employerKey, employerCertificate);
        ValidatorIds = genesis.Validators.Select(v => LedgerCertificate.FromPem(v.Certificate).Id).ToArray();
        ValidatorNames = genesis.Validators.Select(v => v.Name).ToArray();
        RoundTimeout = TimeSpan.FromMilliseconds(genesis.Consensus.RoundTimeoutMs);
        GuangzhouCa = TestWorkers.LoadCityCa(Directory.FullName, "guangzhou", passphrase);
        PseudonymKey = TestWorkers.ReadPseudonymKey(Directory.FullName);
        Worker = TestWorkers.Issue(GuangzhouCa, PseudonymKey, WorkerIdNumber);
        var observerKey = Sm2PrivateKey.Generate();
        var observerCertificate = root.Issue(new CertificateRequest("E2E Observer", Role.Observer, DivisionCode.Parse("440000"), observerKey.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
        Observer = new Ledger.Client.Access.CallerIdentity(observerCertificate, observerKey);
        Transport = TestTransport.ForNetwork(Directory.FullName);
    }

    /// <summary>An Observer certificate of the network: the tests' reads of whole blocks and every contract are signed with it.</summary>
    public Ledger.Client.Access.CallerIdentity Observer { get; }

    /// <summary>The network's transport CA, pinned by every channel and HTTP client the tests open.</summary>
    public TestTransport Transport { get; }

    /// <summary>A gRPC channel to validator <paramref name="index"/> over TLS.</summary>
    public GrpcChannel Channel(int index = 0) => Transport.Channel(GrpcAddress(index));

    /// <summary>The SDK on validator <paramref name="index"/> over pinned TLS, its calls signed by <paramref name="identity"/> (the observer unless given).</summary>
    public Ledger.Client.LedgerClient Connect(int index = 0, Ledger.Client.Access.CallerIdentity? identity = null) =>
        Ledger.Client.LedgerClient.Connect(GrpcAddress(index).ToString(), new Ledger.Client.LedgerClientOptions { TransportCa = Transport.Trust, Identity = identity ?? Observer });

    /// <summary>The transport (TLS) certificate <c>network init</c> made for validator <paramref name="name"/>, naming it.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 ValidatorTransportCertificate(string name) =>
        Ledger.Crypto.Transport.TransportCredentials.Load(Path.Combine(Directory.FullName, "nodes", name, "tls.pem"), Path.Combine(Directory.FullName, "nodes", name, "tls.key"));

    /// <summary>The SDK on validator <paramref name="index"/> over pinned TLS, calling anonymously.</summary>
    public Ledger.Client.LedgerClient ConnectAnonymously(int index = 0) =>
        Ledger.Client.LedgerClient.Connect(GrpcAddress(index).ToString(), new Ledger.Client.LedgerClientOptions { TransportCa = Transport.Trust });

    public DirectoryInfo Directory { get; }

    /// <summary>The network's root CA (the province), with its key: tests issue employers and CRLs with it.</summary>
    public CertificateAuthority Root { get; }
    public int BasePort { get; }
    public string ChainId { get; }
    public CreditCode EmployerCreditCode { get; }
    public TestParty Employer { get; }
    /// <summary>The fixture worker's Worker certificate from the Guangzhou CA, naming the pseudonym of <see cref="WorkerIdNumber"/>.</summary>
    public TestParty Worker { get; }

    /// <summary>A made-up, well-formed ID number: it must never reach a block, a log line or a page.</summary>
    public const string WorkerIdNumber = "440106199001011235";

    /// <summary>The Guangzhou city CA, with its key (it issues Worker certificates).</summary>
    public CertificateAuthority GuangzhouCa { get; }

    /// <summary>The devnet province's pseudonym key (ca/pseudonym.key).</summary>
    public byte[] PseudonymKey { get; }

    public Core.Hash32 WorkerPseudonym => Worker.Certificate!.WorkerPseudonym!.Value;

    /// <summary>Rewrites genesis.json with another anchoring interval: only before any node of the devnet started.</summary>
    public void SetAnchoring(Core.Genesis.AnchoringParameters anchoring)
    {
        var path = Path.Combine(Directory.FullName, "genesis.json");
        File.WriteAllText(path, (Core.Genesis.GenesisDocument.FromJson(File.ReadAllText(path)) with { Anchoring = anchoring }).ToJson());
    }

    /// <summary>Validators' certificate ids and names, in genesis order (node i listens on BasePort + 2i).</summary>
    public IReadOnlyList<Core.Hash32> ValidatorIds { get; }

    public IReadOnlyList<string> ValidatorNames { get; }

    public TimeSpan RoundTimeout { get; }

    /// <summary>Index (genesis order) of the round-0 proposer of a height: validators sorted by id, (h + r) mod n.</summary>
    public int ProposerOf(ulong height)
    {
        var sorted = ValidatorIds.Order().ToArray();
        var id = sorted[(int)(height % (ulong)sorted.Length)];
        return ValidatorIds.ToList().IndexOf(id);
    }

    public string NodeConfig(string name = "guangdong") => Path.Combine(Directory.FullName, "nodes", name, "config.json");

    public Uri GrpcAddress(int index = 0) => new($"https://127.0.0.1:{BasePort + 2 * index}");

    public Uri HttpAddress(int index = 0) => new($"https://127.0.0.1:{BasePort + 2 * index + 1}");

    /// <summary>A raw gRPC client whose calls the observer signs.</summary>
    public Rpc.LedgerService.LedgerServiceClient Client(GrpcChannel channel) =>
        new(Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(channel.CreateCallInvoker(), new Ledger.Client.Access.CallSigningInterceptor(Observer)));

    /// <summary>A signed register tx for a fresh contract id, by the fixture's employer or another.</summary>
    public (TxEnvelope Envelope, string ContractId) NewRegistration(TestParty? employer = null)
    {
        var signer = employer ?? Employer;
        var nonce = (ulong)Interlocked.Increment(ref _nonce);
        var contractId = $"E2E-{nonce}";
        var payload = new RegisterPayload
        {
            ContractId = contractId,
            DocumentHash = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(contractId)),
            DocumentFormat = DocumentFormat.Pdf,
            EmployerCreditCode = EmployerCreditCode.Value,
            WorkerPseudonym = TestConsortium.WorkerPseudonym(contractId),
            Terms = new ContractTerms
            {
                Type = ContractType.OpenEnded,
                Start = ContractDate.Create(2026, 1, 1),
                PlaceOfWork = TestConsortium.PlaceOfWork,
                Industry = "I6510",
            },
        };
        var body = ContractPayloads.CreateBody(payload, ChainId, nonce, DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds(), signer.Certificate!.Id,
            [new TxEndorser(signer.Certificate.Id, EndorsementScope.Body), new TxEndorser(signer.Certificate.Id, EndorsementScope.Statement)]);
        var bodyBytes = body.Encode();
        var statement = ContractPayloads.StatementFor(payload, ChainId, Sm3Hasher.Instance).SigningMessage();
        return (new TxEnvelope
        {
            BodyBytes = bodyBytes,
            Endorsements =
            [
                new Endorsement { Certificate = signer.Certificate.Der, Signature = signer.Key.Sign(bodyBytes) },
                new Endorsement { Certificate = signer.Certificate.Der, Signature = signer.Key.Sign(statement), Scope = EndorsementScope.Statement },
            ],
        }, contractId);
    }

    public static Rpc.SubmitRequest Submit(TxEnvelope envelope) => new() { Envelope = ByteString.CopyFrom(envelope.Encode()) };

    public Task WaitHealthyAsync(int index, TimeSpan timeout, LedgerProcess? process = null) => WaitHealthyAsync(HttpAddress(index), timeout, process);

    public async Task WaitHealthyAsync(Uri httpAddress, TimeSpan timeout, LedgerProcess? process = null)
    {
        using var http = Transport.Http(TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process is { HasExited: true }) throw new InvalidOperationException($"the node exited:\n{process.Output}");
            try
            {
                var response = await http.GetAsync(new Uri(httpAddress, "/healthz"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the node did not become healthy:\n{process?.Output}");
    }

    public void Dispose() => Directory.Delete(recursive: true);
}
