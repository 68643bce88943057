using System.Net;
using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;
using Ledger.TestKit.Builders;
using Ledger.TestKit.Network;
using Ledger.TestKit.Transport;

namespace Ledger.Explorer.Tests.Support;

/// <summary>
/// A running one-validator devnet made by the real <c>ledger network init</c>, a real <c>ledger node</c> process, a
/// real <c>ledger explorer</c> process in front of it (with <c>--genesis</c>), and one labour contract registered and
/// signed through the SDK, then changed, signed again and dissolved — so its first file has later events.
/// Shared by every test of the assembly (<see cref="Instance"/>); stopped by <see cref="NetworkSetUp"/>.
/// </summary>
public sealed class ExplorerNetwork : IAsyncDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static ExplorerNetwork? _instance;
    private LedgerProcess _node;
    private readonly LedgerProcess _explorer;

    private ExplorerNetwork(DirectoryInfo directory, int basePort, LedgerProcess node, LedgerProcess explorer, GenesisDocument genesis, CertificateAuthority root)
    {
        Directory = directory;
        BasePort = basePort;
        _node = node;
        _explorer = explorer;
        Genesis = genesis;
        Root = root;
        // The tests read as the explorer's operator does: the network's Observer certificate, made by network init.
        var passphrase = File.ReadAllText(Path.Combine(directory.FullName, "passphrase")).Trim();
        Operator = new Ledger.Client.Access.CallerIdentity(
            LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(directory.FullName, "explorer", "explorer.pem"))),
            KeyFile.Load(Path.Combine(directory.FullName, "explorer", "explorer.key"), passphrase, KeyFileOptions.ForTests));
        Transport = TestTransport.ForNetwork(directory.FullName);
        Client = LedgerClient.Connect(NodeUrl.ToString(), new LedgerClientOptions { TransportCa = Transport.Trust, Identity = Operator });
        var employerKey = Sm2PrivateKey.Generate();
        EmployerCreditCode = TestConsortium.MakeCreditCode("91440101708300011");
        Employer = new TestParty("employer", employerKey, root.Issue(new CertificateRequest("广州示例科技有限公司", Role.Employer, DivisionCode.Parse("440100"),
            employerKey.PublicKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), EmployerCreditCode)));
        Worker = TestWorkers.Issue(TestWorkers.LoadCityCa(directory.FullName, "guangzhou", passphrase), TestWorkers.ReadPseudonymKey(directory.FullName), WorkerIdNumber);
    }

    public const string StaffUser = "clerk1";
    public const string StaffPassword = "correct horse battery 1";
    public const string StaffInstitution = "天河区人民法院";
    public const string CaseNumber = "(2026)粤0106民初1234号";
    public const string GuangzhouBureauUser = "gz-inspector1";
    public const string ShenzhenBureauUser = "sz-inspector1";
    public const string InspectionReference = "穗人社监察〔2026〕88号";

    /// <summary>Signs the client in as the court clerk, or another account (its cookie container keeps the session).</summary>
    public async Task SignInAsync(HttpClient http, string user = StaffUser, string caseNumber = CaseNumber)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = user, ["password"] = StaffPassword, ["caseNumber"] = caseNumber });
        var response = await http.PostAsync(new Uri(http.BaseAddress ?? ExplorerUrl, "/api/session"), form);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"sign-in failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string SignerDirectory(DirectoryInfo network) => System.IO.Directory.EnumerateDirectories(Path.Combine(network.FullName, "signers")).Order().First();

    /// <summary>The external anchor recorded by <see cref="AnchorLatestEventAsync"/>: its payload and the block that recorded it.</summary>
    public (Core.Anchoring.ExternalAnchorPayload Anchor, ulong RecordedAt)? Anchored { get; private set; }

    /// <summary>
    /// Records, once, that the block of the contract's latest event (the dissolution) was anchored on an EVM chain: an
    /// ExternalAnchor tx signed by the first city's Bureau certificate, as the anchoring service records one.
    /// </summary>
    public async Task<(Core.Anchoring.ExternalAnchorPayload Anchor, ulong RecordedAt)> AnchorLatestEventAsync()
    {
        if (Anchored is { } done) return done;
        var passphrase = File.ReadAllText(Path.Combine(Directory.FullName, "passphrase")).Trim();
        var certificate = LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(SignerDirectory(Directory), "signer.pem")));
        var key = KeyFile.Load(Path.Combine(SignerDirectory(Directory), "signer.key"), passphrase, KeyFileOptions.ForTests);
        var block = await Client.GetCertifiedHeaderAsync(Dissolve.Height) ?? throw new InvalidOperationException("the dissolution's block is missing");
        var payload = new Core.Anchoring.ExternalAnchorPayload
        {
            Height = Dissolve.Height, BlockHash = block.Header.ComputeHash(Sm3Hasher.Instance), EvmChainId = 1337,
            Contract = Enumerable.Range(0xa0, 20).Select(i => (byte)i).ToArray(), TxHash = Sm3.Hash("anchoring tx"u8),
            ExternalBlock = 4242, ExternalBlockHash = Sm3.Hash("external block"u8), ExternalTime = 1_796_000_000,
        };
        var envelope = TransactionBuilder.SignedBySubmitter(payload.CreateBody(Genesis.ChainId, TransactionBuilder.NewNonce(),
            DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds(), certificate.Id), certificate, key);
        var committed = await Client.WaitForCommitAsync(await Client.SubmitAsync(envelope), TimeSpan.FromSeconds(30));
        if (!committed.Succeeded) throw new InvalidOperationException($"the anchor record was refused: {committed.Receipt.Code} {committed.Receipt.Message}");
        Anchored = (payload, committed.Height);
        return Anchored.Value;
    }

    public static ExplorerNetwork Instance => _instance ?? throw new InvalidOperationException("the network is not started (NetworkSetUp)");

    public DirectoryInfo Directory { get; }
    public int BasePort { get; }
    public GenesisDocument Genesis { get; }
    public string GenesisPath => Path.Combine(Directory.FullName, "genesis.json");
    public CertificateAuthority Root { get; }
    public LedgerClient Client { get; }

    /// <summary>The explorer operator's identity (an Observer certificate).</summary>
    public Ledger.Client.Access.CallerIdentity Operator { get; }
    /// <summary>The network's transport CA: the explorer and the node serve TLS only.</summary>
    public TestTransport Transport { get; }

    /// <summary>
    /// base64 SHA-256 of the explorer certificate's public key: Chromium is told to accept exactly that key
    /// (--ignore-certificate-errors-spki-list), as it has no flag to pin a private CA.
    /// </summary>
    public string ExplorerSpkiHash
    {
        get
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Directory.FullName, "explorer", "tls.pem")));
            return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        }
    }
    public CreditCode EmployerCreditCode { get; }
    public TestParty Employer { get; }
    public TestParty Worker { get; }

    /// <summary>A made-up, well-formed ID number: the no-personal-data test looks for it on every page.</summary>
    public const string WorkerIdNumber = "440106199001011235";

    public Uri NodeUrl => new($"https://127.0.0.1:{BasePort}");
    public Uri NodeHttpUrl => new($"https://127.0.0.1:{BasePort + 1}");
    public Uri ExplorerUrl => new($"https://127.0.0.1:{BasePort + 2}");

    /// <summary>The contract anchored at start-up: its id, its two documents (files on disk) and its txs in order.</summary>
    public string ContractId { get; private set; } = "";
    public string DocumentV1Path { get; private set; } = "";
    public string DocumentV2Path { get; private set; } = "";
    public CommittedTx Register { get; private set; } = null!;
    public CommittedTx SignV1 { get; private set; } = null!;
    public CommittedTx Change { get; private set; } = null!;
    public CommittedTx SignV2 { get; private set; } = null!;
    public CommittedTx Dissolve { get; private set; } = null!;

    public static async Task<ExplorerNetwork> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("ledger-explorer-");
        var basePort = LedgerProcess.FreePortRange(3);
        var (exit, output) = LedgerProcess.Run("network", "init", "--preset", "devnet", "--validators", "1", "--out", directory.FullName,
            "--base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--kdf-iterations", "1000");
        if (exit != 0) throw new InvalidOperationException($"network init failed: {output}");
        var passphrase = File.ReadAllText(Path.Combine(directory.FullName, "passphrase")).Trim();
        var genesis = GenesisDocument.FromJson(File.ReadAllText(Path.Combine(directory.FullName, "genesis.json")));
        var rootKey = KeyFile.Load(Path.Combine(directory.FullName, "ca", "root.key"), passphrase, KeyFileOptions.ForTests);
        var root = CertificateAuthority.FromCertificate(LedgerCertificate.FromPem(genesis.RootCertificate), rootKey);

        // One court clerk account, for the signed-in views (the operator's accounts file, PBKDF2-HMAC-SM3).
        var accounts = Staff.StaffAccounts.Empty();
        accounts.Add(StaffUser, Staff.StaffRole.Court, StaffInstitution, StaffPassword, iterations: 1000);
        // Two bureau accounts: Guangzhou's covers the contract (employer registered in 440101), Shenzhen's does not.
        accounts.Add(GuangzhouBureauUser, Staff.StaffRole.Bureau, "广州市人力资源和社会保障局", StaffPassword, iterations: 1000, division: "440100");
        accounts.Add(ShenzhenBureauUser, Staff.StaffRole.Bureau, "深圳市人力资源和社会保障局", StaffPassword, iterations: 1000, division: "440300");
        var accountsPath = Path.Combine(directory.FullName, "explorer", "accounts.json");
        accounts.Save(accountsPath);

        var node = StartNode(directory);
        var explorer = LedgerProcess.Start(ExplorerArguments(directory, basePort, basePort + 2, reports: true));
        var network = new ExplorerNetwork(directory, basePort, node, explorer, genesis, root);
        _instance = network;
        await network.WaitNodeHealthyAsync();
        await network.WaitUntilAsync(network.ExplorerUrl, "/api/genesis", explorer);
        await network.AnchorContractAsync();
        return network;
    }

    private static string[] ExplorerArguments(DirectoryInfo directory, int nodePort, int port, bool reports) =>
    [
        "explorer", "--node", $"https://127.0.0.1:{nodePort}", "--urls", $"https://127.0.0.1:{port}",
        "--genesis", Path.Combine(directory.FullName, "genesis.json"), "--transport-ca", Path.Combine(directory.FullName, "transport-ca.pem"),
        "--tls-cert", Path.Combine(directory.FullName, "explorer", "tls.pem"), "--tls-key", Path.Combine(directory.FullName, "explorer", "tls.key"),
        "--cert", Path.Combine(directory.FullName, "explorer", "explorer.pem"), "--key", Path.Combine(directory.FullName, "explorer", "explorer.key"),
        "--passphrase-file", Path.Combine(directory.FullName, "passphrase"), "--allow-weak-kdf", "--accounts", Path.Combine(directory.FullName, "explorer", "accounts.json"),
        // Reports are signed by a bureau: the devnet's signer service holds a Bureau certificate of the Guangzhou CA.
        .. reports
            ? new[] { "--report-cert", Path.Combine(SignerDirectory(directory), "signer.pem"), "--report-key", Path.Combine(SignerDirectory(directory), "signer.key") }
            : [],
    ];

    /// <summary>A second explorer in front of the same node, with no bureau to sign reports (no --report-cert); the caller disposes it.</summary>
    public async Task<(LedgerProcess Process, Uri Url)> StartExplorerWithoutReportsAsync()
    {
        var port = LedgerProcess.FreePortRange(1);
        var process = LedgerProcess.Start(ExplorerArguments(Directory, BasePort, port, reports: false));
        var url = new Uri($"https://127.0.0.1:{port}");
        try
        {
            await WaitUntilAsync(url, "/api/genesis", process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return (process, url);
    }

    /// <summary>SIGKILL the node.</summary>
    public void KillNode() => _node.Kill();

    public async Task RestartNodeAsync()
    {
        _node.Dispose();
        _node = StartNode(Directory);
        await WaitNodeHealthyAsync();
    }

    public Task WaitNodeHealthyAsync() => WaitUntilAsync(NodeHttpUrl, "/healthz", _node);

    /// <summary>Submits a fresh register tx (another contract) and waits for its block: for the live-update test.</summary>
    public async Task<CommittedTx> AnchorAnotherAsync(string contractId)
    {
        return await SubmitAsync(new RegisterPayload
        {
            ContractId = contractId,
            DocumentHash = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(contractId)),
            DocumentFormat = DocumentFormat.Pdf,
            EmployerCreditCode = EmployerCreditCode.Value,
            WorkerPseudonym = TestConsortium.WorkerPseudonym(contractId),
            Terms = Terms(),
        }, Employer);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _explorer.Dispose();
        _node.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public string ExplorerOutput => _explorer.Output;

    public string NodeOutput => _node.Output;

    private static LedgerProcess StartNode(DirectoryInfo directory) =>
        LedgerProcess.Start("node", "--config", Path.Combine(directory.FullName, "nodes", "guangdong", "config.json"));

    private async Task AnchorContractAsync()
    {
        ContractId = $"GZ-2026-{Random.Shared.Next(100000, 999999)}";
        // A contract "file": a PDF-looking document of some size; v2 differs in its text.
        var v1 = ContractDocument("劳动合同书 第一版：甲方与乙方就劳动合同期限、工作内容、劳动报酬等事项协商一致。");
        var v2 = ContractDocument("劳动合同书 第二版：工作地点变更为广州市天河区。");
        DocumentV1Path = Path.Combine(Directory.FullName, "contract-v1.pdf");
        DocumentV2Path = Path.Combine(Directory.FullName, "contract-v2.pdf");
        await File.WriteAllBytesAsync(DocumentV1Path, v1);
        await File.WriteAllBytesAsync(DocumentV2Path, v2);
        var h1 = Sm3.Hash(v1);
        var h2 = Sm3.Hash(v2);
        var terms = Terms();
        Register = await SubmitAsync(new RegisterPayload
        {
            ContractId = ContractId,
            DocumentHash = h1,
            DocumentFormat = DocumentFormat.Pdf,
            EmployerCreditCode = EmployerCreditCode.Value,
            WorkerPseudonym = Worker.Certificate!.WorkerPseudonym!.Value,
            Terms = terms,
        }, Employer);
        SignV1 = await SubmitAsync(new SignPayload { ContractId = ContractId, Version = 1, DocumentHash = h1 }, Employer, Worker);
        Change = await SubmitAsync(new ChangePayload { ContractId = ContractId, BaseVersion = 1, DocumentHash = h2, DocumentFormat = DocumentFormat.Pdf, Terms = terms }, Employer);
        SignV2 = await SubmitAsync(new SignPayload { ContractId = ContractId, Version = 2, DocumentHash = h2 }, Employer, Worker);
        Dissolve = await SubmitAsync(new DissolvePayload
        {
            ContractId = ContractId,
            Version = 2,
            DocumentHash = h2,
            Basis = DissolutionBasis.Art36Agreement,
            EffectiveDate = ContractDate.Create(2027, 6, 30),
        }, Employer, Worker);
    }

    private static ContractTerms Terms() => new()
    {
        Type = ContractType.FixedTerm,
        Start = ContractDate.Create(2026, 1, 1),
        End = ContractDate.Create(2028, 12, 31),
        ProbationEnd = ContractDate.Create(2026, 2, 28),
        PlaceOfWork = TestConsortium.PlaceOfWork,
        Industry = "I6510",
    };

    private static byte[] ContractDocument(string text)
    {
        var body = System.Text.Encoding.UTF8.GetBytes("%PDF-1.7\n% " + text + "\n");
        var padding = new byte[64 * 1024];
        new Random(text.Length).NextBytes(padding);
        return [.. body, .. padding, .. "\n%%EOF\n"u8.ToArray()];
    }

    private async Task<CommittedTx> SubmitAsync(IContractPayload payload, params TestParty[] statementSigners)
    {
        var builder = new TransactionBuilder(Genesis.ChainId, payload);
        foreach (var signer in statementSigners)
        {
            builder.SignStatement(signer.Certificate!, signer.Key);
        }
        var envelope = builder.Build(Employer.Certificate!, Employer.Key);
        var txId = await Client.SubmitAsync(envelope);
        var committed = await Client.WaitForCommitAsync(txId, TimeSpan.FromSeconds(30));
        if (committed.Receipt.Code != ErrorCode.Ok) throw new InvalidOperationException($"{payload.Action} refused: {committed.Receipt.Code} {committed.Receipt.Message}");
        return committed;
    }

    private async Task WaitUntilAsync(Uri baseUrl, string path, LedgerProcess process)
    {
        using var http = Transport.Http(TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow + Startup;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"ledger exited:\n{process.Output}");
            try
            {
                var response = await http.GetAsync(new Uri(baseUrl, path));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{baseUrl}{path} did not answer:\n{process.Output}");
    }
}
