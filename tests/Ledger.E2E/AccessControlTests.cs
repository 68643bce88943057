using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;
using Ledger.TestKit.Builders;
using Ledger.TestKit.Network;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Issue 13's acceptance through a real <c>ledger node</c> process: every role × every read call × a contract in its
/// scope, one outside it, and anonymously, each answered or refused as specified (the matrix below, its cells
/// counted); a court's read without and with a case number, the AccessRecord committed before the answer and in the
/// worker's list; a consent token that opens one contract only, expires, and stops working once revoked.
/// </summary>
[NonParallelizable]
public class AccessControlTests
{
    private const string Ok = "ok";
    private const string Public = "public";
    private const string Unauthenticated = "Unauthenticated/CallerCredentialsMissing";
    private const string OutOfScope = "PermissionDenied/OutsideReadScope";
    private const string NotPermitted = "PermissionDenied/ReadNotPermitted";
    private const string NeedsBasis = "PermissionDenied/LegalBasisRequired";

    private DevnetFixture _devnet = null!;
    private LedgerProcess _node = null!;
    private readonly Dictionary<string, CallerIdentity?> _callers = [];
    private readonly Dictionary<string, (string Id, Hash32 Document, Hash32 SignTx)> _contracts = [];
    private CallerIdentity _worker = null!;
    private CallerIdentity _bank = null!;
    private CallerIdentity _court = null!;
    private CallerIdentity _employer = null!;
    private CallerIdentity _integrator = null!;

    [OneTimeSetUp]
    public async Task StartNodeWithThreeContracts()
    {
        _devnet = new DevnetFixture();
        _node = LedgerProcess.Start("node", "--config", _devnet.NodeConfig());
        await _devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), _node);

        var otherCredit = TestConsortium.MakeCreditCode("91440300708461136");
        _employer = Issue("Guangzhou Example Co.", Role.Employer, "440100", _devnet.EmployerCreditCode);
        var otherEmployer = Issue("Shenzhen Example Co.", Role.Employer, "440300", otherCredit);
        // Workers hold Worker certificates from a city CA naming their pseudonym; the contract names the same pseudonym.
        _worker = new CallerIdentity(_devnet.Worker.Certificate!, _devnet.Worker.Key);
        _bank = Issue("Example Bank Guangzhou Branch", Role.Employer, "440100", TestConsortium.MakeCreditCode("91440101190000001"));
        _court = Issue("Tianhe District People's Court", Role.Court, "440106");
        _integrator = Issue("HR SaaS Ltd", Role.Integrator, "440100");
        var passphrase = File.ReadAllText(Path.Combine(_devnet.Directory.FullName, "passphrase")).Trim();
        var validator = new CallerIdentity(
            LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(_devnet.Directory.FullName, "nodes", "guangdong", "node.pem"))),
            KeyFile.Load(Path.Combine(_devnet.Directory.FullName, "nodes", "guangdong", "node.key"), passphrase, KeyFileOptions.ForTests));

        _callers["anonymous"] = null;
        _callers["employer"] = _employer;
        _callers["worker"] = _worker;
        _callers["bureau-guangzhou"] = Issue("Guangzhou HRSS Bureau", Role.Bureau, "440100");
        _callers["bureau-shenzhen"] = Issue("Shenzhen HRSS Bureau", Role.Bureau, "440300");
        _callers["integrator"] = _integrator;
        _callers["court"] = _court;
        _callers["arbitration"] = Issue("Guangzhou Labour Arbitration Commission", Role.Arbitration, "440100");
        _callers["inspector"] = Issue("Guangzhou Labour Inspection Brigade", Role.Inspector, "440100");
        _callers["third-party"] = _bank;
        _callers["observer"] = _devnet.Observer;
        _callers["validator"] = validator;
        // A certificate a CA issued with the Validator role: not a validator of genesis, so no whole blocks.
        _callers["self-styled-validator"] = Issue("not a validator", Role.Validator, "440100");

        var worker2 = Certified(TestWorkers.Issue(_devnet.GuangzhouCa, Sm3.Hash("ACL worker 2"u8.ToArray()), "worker 2"));
        var worker3 = Certified(TestWorkers.Issue(_devnet.GuangzhouCa, Sm3.Hash("ACL worker 3"u8.ToArray()), "worker 3"));
        _contracts["A"] = await LiveContractAsync("ACL-A", _employer, _devnet.EmployerCreditCode, "440106000000", _worker);
        _contracts["B"] = await LiveContractAsync("ACL-B", _employer, _devnet.EmployerCreditCode, "440106000000", worker2);
        _contracts["C"] = await LiveContractAsync("ACL-C", otherEmployer, otherCredit, "440305000000", worker3);

        // The employer delegates reads to its integrator (a grant tx it signs).
        using var employer = _devnet.Connect(0, _employer);
        await employer.SubmitAccessAsync((chain, who) => AccessTransactions.Grant(chain, new AccessGrantPayload
        {
            Kind = GrantKind.IntegratorDelegation,
            Grantee = _integrator.Certificate.Id,
            Purpose = "payroll integration",
            NotAfter = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeMilliseconds(),
        }, who), TimeSpan.FromSeconds(30));
    }

    [OneTimeTearDown]
    public void StopNode()
    {
        _node.Dispose();
        _devnet.Dispose();
    }

    private CallerIdentity Issue(string name, Role role, string division, CreditCode? creditCode = null)
    {
        var key = Sm2PrivateKey.Generate();
        var certificate = _devnet.Root.Issue(new CertificateRequest(name, role, DivisionCode.Parse(division), key.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), creditCode));
        return new CallerIdentity(certificate, key);
    }

    private static CallerIdentity Certified(TestParty worker) => new(worker.Certificate!, worker.Key);

    /// <summary>Register (naming the worker's pseudonym) then sign: an effective contract. Its document hash and the sign tx.</summary>
    private async Task<(string, Hash32, Hash32)> LiveContractAsync(string id, CallerIdentity employer, CreditCode credit, string place, CallerIdentity worker)
    {
        using var client = _devnet.Connect(0, employer);
        var document = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes("contract " + id));
        var register = new RegisterPayload
        {
            ContractId = id,
            DocumentHash = document,
            DocumentFormat = DocumentFormat.Pdf,
            EmployerCreditCode = credit.Value,
            WorkerPseudonym = worker.Certificate.WorkerPseudonym!.Value,
            Terms = new ContractTerms { Type = ContractType.OpenEnded, Start = ContractDate.Create(2026, 1, 1), PlaceOfWork = place, Industry = "I6510" },
        };
        await CommitAsync(client, new TransactionBuilder(_devnet.ChainId, register).SignStatement(employer.Certificate, employer.Key).Build(employer.Certificate, employer.Key));
        var sign = new TransactionBuilder(_devnet.ChainId, new SignPayload { ContractId = id, Version = 1, DocumentHash = document }).SignStatement(employer.Certificate, employer.Key);
        sign.SignStatement(worker.Certificate, worker.Key);
        var signed = await CommitAsync(client, sign.Build(employer.Certificate, employer.Key));
        return (id, document, signed);
    }

    private static async Task<Hash32> CommitAsync(LedgerClient client, Core.Transactions.TxEnvelope envelope)
    {
        var txId = await client.SubmitAsync(envelope);
        var committed = await client.WaitForCommitAsync(txId, TimeSpan.FromSeconds(30));
        Assert.That(committed.Receipt.Code, Is.EqualTo(ErrorCode.Ok), committed.Receipt.Message);
        return txId;
    }

    private static async Task<string> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return Ok;
        }
        catch (LedgerClientException e)
        {
            return $"{e.Status}/{e.Code}";
        }
    }

    /// <summary>FindByDocumentHash: the txs in full, only their public view, or refused.</summary>
    private static async Task<string> FindOutcome(LedgerClient client, Hash32 document)
    {
        var full = await Outcome(() => client.FindByDocumentHashAsync(document));
        if (full != OutOfScope) return full;
        var anchors = await client.FindAnchorsAsync(document);
        return anchors.Count > 0 && anchors.All(a => a.ContractStatus == ContractStatus.Effective) ? Public : "public view missing";
    }

    // What each role may read of the contract in its scope / the contract outside it (A is Guangzhou employer E1's with
    // worker W, B is E1's with another worker, C is a Shenzhen employer's). Legal-authority and consent reads are in
    // their own tests below: without a stated basis they are refused here.
    private static readonly (string Role, string InScope, string OutOfScope, string ContractCall, string FindCall)[] ContractScopes =
    [
        ("anonymous", "A", "C", Unauthenticated, Public),
        ("employer", "A", "C", Ok, Ok),
        ("worker", "A", "B", Ok, Ok),
        ("bureau-guangzhou", "A", "C", Ok, Ok),
        ("bureau-shenzhen", "C", "A", Ok, Ok),
        ("integrator", "A", "C", Ok, Ok),
        ("court", "A", "C", NeedsBasis, Public),
        ("arbitration", "A", "C", NeedsBasis, Public),
        ("inspector", "A", "C", NeedsBasis, Public),
        ("third-party", "A", "C", OutOfScope, Public),
        ("observer", "A", "C", Ok, Ok),
        ("validator", "A", "C", Ok, Ok),
        ("self-styled-validator", "A", "C", OutOfScope, Public),
    ];

    [Test]
    public async Task Every_role_reads_contracts_in_its_scope_and_is_refused_outside_it()
    {
        var cells = 0;
        var failures = new List<string>();
        foreach (var (role, inScope, outOfScope, contractCall, findCall) in ContractScopes)
        {
            using var caller = _callers[role] is null
                ? _devnet.ConnectAnonymously()
                : _devnet.Connect(0, _callers[role]);
            foreach (var (target, inside) in new[] { (inScope, true), (outOfScope, false) })
            {
                var contract = _contracts[target];
                // Inside its scope a role gets what the table says; outside, whatever it is, never more than the public view.
                // Validators and observers read every contract: for them both columns are in scope.
                var everything = role is "observer" or "validator";
                var expectContract = inside || everything ? contractCall : contractCall == Unauthenticated ? Unauthenticated : contractCall == NeedsBasis ? NeedsBasis : OutOfScope;
                var expectFind = inside || everything ? findCall : Public;
                Check($"{role} GetContract {target}", expectContract, await Outcome(() => caller.GetContractAsync(contract.Id)));
                Check($"{role} GetTransaction {target}", expectContract, await Outcome(() => caller.GetTransactionAsync(contract.SignTx)));
                Check($"{role} GetEvidence {target}", expectContract, await Outcome(() => caller.GetEvidenceAsync(contract.SignTx)));
                Check($"{role} FindByDocumentHash {target}", expectFind, await FindOutcome(caller, contract.Document));
                Check($"{role} WaitForCommit {target}", expectFind, await WaitOutcome(caller, contract.SignTx));
            }
        }
        TestContext.Out.WriteLine($"contract-scope cells: {cells}");
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(cells, Is.EqualTo(ContractScopes.Length * 2 * 5));

        void Check(string cell, string expected, string actual)
        {
            cells++;
            if (expected != actual) failures.Add($"{cell}: expected {expected}, got {actual}");
        }
    }

    private static async Task<string> WaitOutcome(LedgerClient client, Hash32 txId)
    {
        var full = await Outcome(() => client.WaitForCommitAsync(txId, TimeSpan.FromSeconds(5)));
        if (full != OutOfScope) return full;
        var status = await client.WaitForStatusAsync(txId, TimeSpan.FromSeconds(5));
        return status.ReceiptCode == ErrorCode.Ok ? Public : "public view missing";
    }

    [Test]
    public async Task Whole_blocks_go_to_validators_and_observers_only_and_headers_to_anyone()
    {
        var cells = 0;
        var failures = new List<string>();
        foreach (var (role, identity) in _callers)
        {
            using var client = identity is null ? _devnet.ConnectAnonymously() : _devnet.Connect(0, identity);
            var reader = role is "observer" or "validator";
            var expectWhole = identity is null ? Unauthenticated : reader ? Ok : NotPermitted;
            Check($"{role} GetBlock", expectWhole, await Outcome(() => client.GetBlockAsync(1)));
            Check($"{role} GetBlock header_only", Ok, await Outcome(() => client.GetBlockHeaderAsync(1)));
            Check($"{role} WatchBlocks", expectWhole, await Outcome(async () => { await foreach (var _ in client.WatchBlocksAsync(1)) break; }));
            Check($"{role} WatchBlocks header_only", Ok, await Outcome(async () => { await foreach (var _ in client.WatchBlockHeadersAsync(1)) break; }));
            Check($"{role} GetChainInfo", Ok, await Outcome(() => client.GetChainInfoAsync()));
            // The state a joining node fetches is every record's content: as whole blocks. Sets and anchors are public, like headers.
            Check($"{role} GetStateNodes", expectWhole, await Outcome(() => client.GetStateNodesAsync([Hash32.Zero])));
            Check($"{role} GetValidatorSet", Ok, await Outcome(() => client.GetValidatorSetAsync(1)));
            Check($"{role} GetExternalAnchor", Ok, await Outcome(() => client.GetExternalAnchorAsync(1)));
            Check($"{role} GetAuthorities", Ok, await Outcome(() => client.GetAuthoritiesAsync()));
            var expectLog = identity is null ? Unauthenticated : role == "worker" ? Ok : reader ? "InvalidArgument/MissingField" : NotPermitted;
            Check($"{role} ListAccessRecords", expectLog, await Outcome(() => client.ListAccessRecordsAsync()));
        }
        TestContext.Out.WriteLine($"block and log cells: {cells}");
        Assert.That(failures, Is.Empty, string.Join("\n", failures));

        void Check(string cell, string expected, string actual)
        {
            cells++;
            if (expected != actual) failures.Add($"{cell}: expected {expected}, got {actual}");
        }
    }

    /// <summary>
    /// The peer service's GetBlocks over mutual TLS (a client certificate of the consortium's transport CA, as validators
    /// hold), the call signed by <paramref name="identity"/> or not: the transport lets it through, access decides.
    /// </summary>
    internal static async Task<string> PeerOutcome(DevnetFixture devnet, CallerIdentity? identity)
    {
        // The peer service takes only a validator's transport certificate (TLS); the call's SM2 signature then decides.
        using var certificate = devnet.ValidatorTransportCertificate(devnet.ValidatorNames[^1]);
        using var channel = GrpcChannel.ForAddress(devnet.GrpcAddress(), new GrpcChannelOptions { HttpHandler = devnet.Transport.Trust.CreateHandler(certificate), DisposeHttpClient = true });
        var invoker = identity is null ? channel.CreateCallInvoker() : Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(channel.CreateCallInvoker(), new CallSigningInterceptor(identity));
        var peer = new Rpc.PeerService.PeerServiceClient(invoker);
        try
        {
            using var call = peer.GetBlocks(new Rpc.GetBlocksRequest { FromHeight = 1, MaxBlocks = 1 });
            await call.ResponseStream.MoveNext(CancellationToken.None);
            return Ok;
        }
        catch (RpcException e)
        {
            var info = e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>();
            return $"{e.StatusCode}/{info?.Reason}";
        }
    }

    [Test]
    public async Task A_court_reads_only_with_a_case_number_and_the_worker_sees_the_access_first()
    {
        var contract = _contracts["A"];
        using var court = _devnet.Connect(0, _court);
        using var worker = _devnet.Connect(0, _worker);
        var before = await worker.ListAccessRecordsAsync();

        var without = await Outcome(() => court.GetContractAsync(contract.Id));
        Assert.That(without, Is.EqualTo(NeedsBasis));

        const string caseNumber = "(2026)粤0106民初1234号";
        var read = await court.GetContractAsync(contract.Id, new AccessRecordPayload { ContractId = contract.Id, Basis = AccessBasis.CourtCase, Reference = caseNumber });
        Assert.That(read, Is.Not.Null);
        Assert.That(read!.Record.ContractId, Is.EqualTo(contract.Id));
        // Committed before the answer: the worker's list has it at once, no waiting.
        var after = await worker.ListAccessRecordsAsync();
        Assert.That(after, Has.Count.EqualTo(before.Count + 1));
        var entry = after[^1];
        Assert.That(entry.ContractId, Is.EqualTo(contract.Id));
        Assert.That(entry.Reference, Is.EqualTo(caseNumber));
        Assert.That(entry.Basis, Is.EqualTo(Rpc.AccessBasis.CourtCase));
        Assert.That(entry.AccessorRole, Is.EqualTo("Court"));
        Assert.That(entry.AccessorName, Is.EqualTo("Tianhe District People's Court"));
        Assert.That((await court.GetEvidenceAsync(contract.SignTx, new AccessRecordPayload { ContractId = contract.Id, Basis = AccessBasis.CourtCase, Reference = caseNumber })), Is.Not.Null);

        // A court's basis does not pass as an inspector's, and a record for another contract opens nothing.
        var wrongRole = await Outcome(() => court.GetContractAsync(contract.Id, new AccessRecordPayload { ContractId = contract.Id, Basis = AccessBasis.Inspection, Reference = "GZ-INSP-1" }));
        Assert.That(wrongRole, Is.EqualTo("PermissionDenied/AccessRoleNotAllowed"));
        // The worker of contract B is not told of reads of A, and an employer has no access list.
        using var employer = _devnet.Connect(0, _employer);
        Assert.That(await Outcome(() => employer.ListAccessRecordsAsync()), Is.EqualTo(NotPermitted));
    }

    [Test]
    public async Task A_consent_opens_one_contract_expires_and_stops_once_revoked()
    {
        var a = _contracts["A"];
        var b = _contracts["B"];
        using var worker = _devnet.Connect(0, _worker);
        using var bank = _devnet.Connect(0, _bank);
        Assert.That(await Outcome(() => bank.GetContractAsync(a.Id)), Is.EqualTo(OutOfScope), "no consent, no read");

        var consent = await worker.SubmitAccessAsync((chain, who) => AccessTransactions.Grant(chain, new AccessGrantPayload
        {
            Kind = GrantKind.WorkerConsent,
            ContractId = a.Id,
            Grantee = _bank.Certificate.Id,
            Purpose = "employment check for a housing loan",
            NotAfter = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(),
        }, who), TimeSpan.FromSeconds(30));
        AccessRecordPayload With(string contractId, Hash32 grant) => new() { ContractId = contractId, Basis = AccessBasis.WorkerConsent, GrantId = grant };

        Assert.That((await bank.GetContractAsync(a.Id, With(a.Id, consent)))!.Record.ContractId, Is.EqualTo(a.Id));
        Assert.That(await Outcome(() => bank.GetContractAsync(b.Id, With(b.Id, consent))), Is.EqualTo("PermissionDenied/GrantNotForCaller"), "consent for A does not open B");
        using var court = _devnet.Connect(0, _court);
        Assert.That(await Outcome(() => court.GetContractAsync(a.Id, With(a.Id, consent))), Is.EqualTo(NeedsBasis), "a consent names its reader");
        // Only the worker of the contract consents; the bank cannot grant itself.
        Assert.That(await Outcome(() => bank.SubmitAccessAsync((chain, who) => AccessTransactions.Grant(chain, new AccessGrantPayload
        {
            Kind = GrantKind.WorkerConsent, ContractId = b.Id, Grantee = _bank.Certificate.Id, Purpose = "self-granted", NotAfter = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(),
        }, who), TimeSpan.FromSeconds(30))), Is.EqualTo("FailedPrecondition/GrantorNotAllowed"));

        var log = await worker.ListAccessRecordsAsync(a.Id);
        Assert.That(log.Any(e => e.Basis == Rpc.AccessBasis.WorkerConsent && e.GrantId.Span.SequenceEqual(consent.ToArray()) && e.AccessorName == "Example Bank Guangzhou Branch"), Is.True);

        await worker.SubmitAccessAsync((chain, who) => AccessTransactions.Revoke(chain, new GrantRevocationPayload { GrantId = consent }, who), TimeSpan.FromSeconds(30));
        Assert.That(await Outcome(() => bank.GetContractAsync(a.Id, With(a.Id, consent))), Is.EqualTo("PermissionDenied/GrantRevoked"));

        // A consent that expires: good before its expiry, refused after it.
        var expiry = DateTimeOffset.UtcNow.AddSeconds(6);
        var shortLived = await worker.SubmitAccessAsync((chain, who) => AccessTransactions.Grant(chain, new AccessGrantPayload
        {
            Kind = GrantKind.WorkerConsent, ContractId = a.Id, Grantee = _bank.Certificate.Id, Purpose = "one look", NotAfter = expiry.ToUnixTimeMilliseconds(),
        }, who), TimeSpan.FromSeconds(30));
        Assert.That(await Outcome(() => bank.GetContractAsync(a.Id, With(a.Id, shortLived))), Is.EqualTo(Ok));
        // Refused once the node's clock has passed the expiry: polled, with a deadline, not a fixed wait.
        var deadline = expiry.AddSeconds(60);
        string outcome;
        while ((outcome = await Outcome(() => bank.GetContractAsync(a.Id, With(a.Id, shortLived)))) == Ok && DateTimeOffset.UtcNow < deadline)
            await Task.Delay(200);
        Assert.That(DateTimeOffset.UtcNow, Is.GreaterThanOrEqualTo(expiry), "no refusal before the expiry");
        Assert.That(outcome, Is.EqualTo("PermissionDenied/GrantExpired"));
    }

    [Test]
    public async Task Forged_replayed_stale_and_revoked_credentials_are_unauthenticated()
    {
        using var channel = _devnet.Channel();
        var raw = new Rpc.LedgerService.LedgerServiceClient(channel);
        var request = new Rpc.GetContractRequest { ContractId = _contracts["A"].Id };
        var identity = _employer;
        var method = "/ledger.v1.LedgerService/GetContract";

        Metadata Signed(long time, byte[] nonce, Rpc.GetContractRequest signedRequest, CallerIdentity signer)
        {
            var message = CallAuthentication.SigningMessage(method, Google.Protobuf.MessageExtensions.ToByteArray(signedRequest), time, nonce, []);
            return new Metadata
            {
                { CallAuthentication.CertificateHeader, identity.Certificate.Der },
                { CallAuthentication.TimeHeader, time.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                { CallAuthentication.NonceHeader, nonce },
                { CallAuthentication.SignatureHeader, signer.Key.Sign(message) },
            };
        }
        async Task<string> Call(Metadata headers)
        {
            try
            {
                await raw.GetContractAsync(request, headers);
                return Ok;
            }
            catch (RpcException e)
            {
                return $"{e.StatusCode}/{e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason}";
            }
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var nonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var good = Signed(now, nonce, request, identity);
        Assert.That(await Call(good), Is.EqualTo(Ok));
        Assert.That(await Call(good), Is.EqualTo("Unauthenticated/CallerNonceReused"), "the same call again");
        Assert.That(await Call(Signed(now - 6 * 60_000, RandomNonce(), request, identity)), Is.EqualTo("Unauthenticated/CallerTimeOutsideWindow"));
        Assert.That(await Call(Signed(now, RandomNonce(), request, _worker)), Is.EqualTo("Unauthenticated/CallerSignatureInvalid"), "signed by another key");
        Assert.That(await Call(Signed(now, RandomNonce(), new Rpc.GetContractRequest { ContractId = _contracts["C"].Id }, identity)),
            Is.EqualTo("Unauthenticated/CallerSignatureInvalid"), "a signature over another request");
        var partial = Signed(now, RandomNonce(), request, identity);
        partial.Remove(partial.Get(CallAuthentication.SignatureHeader)!);
        Assert.That(await Call(partial), Is.EqualTo("Unauthenticated/CallerCredentialsMalformed"));

        // A certificate from another consortium's root.
        var stranger = CertificateAuthority.CreateRoot("Another Root", DivisionCode.Parse("440000"), Sm2PrivateKey.Generate(), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var strangerKey = Sm2PrivateKey.Generate();
        identity = new CallerIdentity(stranger.Issue(new CertificateRequest("stranger", Role.Employer, DivisionCode.Parse("440100"), strangerKey.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), _devnet.EmployerCreditCode)), strangerKey);
        Assert.That(await Call(Signed(now, RandomNonce(), request, identity)), Is.EqualTo("Unauthenticated/UntrustedCertificate"));
    }

    private static byte[] RandomNonce() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
}
