using System.Text.Json.Nodes;
using Grpc.Core.Interceptors;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Signer.Grpc;
using Ledger.Signer.Intent;
using Ledger.TestKit;
using Ledger.TestKit.Builders;
using Ledger.TestKit.Network;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Issue 11's acceptance on real processes: a three-validator devnet (province, Guangzhou, Shaoguan: the first two cities network init makes) and two
/// <c>ledger signer</c> processes, one per city bureau, each enrolling on the authority of its own operator. One real
/// person enrolled in both cities gets two Worker certificates from two city CAs with one pseudonym; their contracts at
/// a Guangzhou and a Shaoguan employer name the same pseudonym; at the Guangzhou employer fresh contract ids evade
/// neither the art. 14 third-fixed-term warning nor art. 19(2)'s single probation; and an employer's paper upload stays
/// pending until that worker — not another enrolled person — confirms it through the signer.
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class TwoCityWorkerTests
{
    private const string IdNumber = "440305198808081234";
    private const string StoogeIdNumber = "440305199505050021";
    private const string WorkerPin = "worker-pin-8642";
    private const string EmployerPin = "employer-pin-1357";
    private const string ShaoguanPlace = "440203000000";

    private sealed record Party(Rpc.SignerService.SignerServiceClient Signer, Rpc.EnrolResponse Holder, string Pin);

    private readonly Dictionary<string, string> _caUrls = new(StringComparer.Ordinal);

    [Test]
    public async Task One_worker_enrolled_in_two_cities_has_one_pseudonym_and_fresh_contracts_evade_neither_art_14_nor_art_19()
    {
        using var devnet = new DevnetFixture(validators: 3);
        var nodes = devnet.ValidatorNames.Select(name => LedgerProcess.Start("node", "--config", devnet.NodeConfig(name))).ToList();
        var processes = new List<LedgerProcess>(nodes);
        try
        {
            for (var i = 0; i < nodes.Count; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), nodes[i]);
            var passphrase = (await File.ReadAllTextAsync(Path.Combine(devnet.Directory.FullName, "passphrase"))).Trim();
            // Each city's CA process (the city CA's key is there, not in the signer), then its signer.
            foreach (var city in new[] { "guangzhou", "shaoguan" })
            {
                var (url, process) = await CityCaProcess.StartAsync(devnet.Directory.FullName, city);
                processes.Add(process);
                _caUrls[city] = url;
            }
            var (guangzhouChannel, guangzhouProcess) = await StartSignerAsync(devnet, "guangzhou", passphrase);
            processes.Add(guangzhouProcess);
            using var _ = guangzhouChannel;
            var (shaoguanChannel, shaoguanProcess) = await StartSignerAsync(devnet, "shaoguan", passphrase);
            processes.Add(shaoguanProcess);
            using var __ = shaoguanChannel;
            var guangzhouSigner = new Rpc.SignerService.SignerServiceClient(guangzhouChannel);
            var shaoguanSigner = new Rpc.SignerService.SignerServiceClient(shaoguanChannel);
            using var ledger = devnet.Connect();
            var chainId = (await ledger.GetChainInfoAsync()).ChainId;

            // Each bureau's operator enrols at its own signer; the same ID number goes to both, and is kept by neither.
            var guangzhouOperator = Operator(devnet, "guangzhou", passphrase, guangzhouChannel);
            var shaoguanOperator = Operator(devnet, "shaoguan", passphrase, shaoguanChannel);
            var workerInGuangzhou = await guangzhouOperator.Enrol(new Rpc.EnrolRequest { Kind = Rpc.HolderKind.Person, Pin = WorkerPin, IdNumber = IdNumber });
            var workerInShaoguan = await shaoguanOperator.Enrol(new Rpc.EnrolRequest { Kind = Rpc.HolderKind.Person, Pin = WorkerPin, IdNumber = IdNumber });
            var stooge = await shaoguanOperator.Enrol(new Rpc.EnrolRequest { Kind = Rpc.HolderKind.Person, Pin = WorkerPin, IdNumber = StoogeIdNumber });
            var employerA = await guangzhouOperator.Enrol(new Rpc.EnrolRequest
            {
                Kind = Rpc.HolderKind.Organisation, Pin = EmployerPin, OrganisationName = "Guangzhou Employer Co.", CreditCode = TestConsortium.MakeCreditCode("91440101MA5CWTY01").Value,
            });
            var employerB = await shaoguanOperator.Enrol(new Rpc.EnrolRequest
            {
                Kind = Rpc.HolderKind.Organisation, Pin = EmployerPin, OrganisationName = "Shaoguan Employer Co.", CreditCode = TestConsortium.MakeCreditCode("91440200MA5CWTY02").Value,
            });

            var guangzhouCertificate = LedgerCertificate.FromDer(workerInGuangzhou.Certificate.ToByteArray());
            var shaoguanCertificate = LedgerCertificate.FromDer(workerInShaoguan.Certificate.ToByteArray());
            Assert.That(guangzhouCertificate.WorkerPseudonym, Is.Not.Null);
            Assert.That(shaoguanCertificate.WorkerPseudonym, Is.EqualTo(guangzhouCertificate.WorkerPseudonym), "one person, one pseudonym, in every city");
            Assert.That(shaoguanCertificate.Id, Is.Not.EqualTo(guangzhouCertificate.Id));
            Assert.That((guangzhouCertificate.Division.Value, shaoguanCertificate.Division.Value), Is.EqualTo(("440100000000", "440200000000")), "issued by two city CAs");
            Assert.That(LedgerCertificate.FromDer(stooge.Certificate.ToByteArray()).WorkerPseudonym, Is.Not.EqualTo(guangzhouCertificate.WorkerPseudonym));
            var pseudonym = guangzhouCertificate.WorkerPseudonym!.Value;
            var codeA = LedgerCertificate.FromDer(employerA.Certificate.ToByteArray()).CreditCode!.Value.Value;
            var codeB = LedgerCertificate.FromDer(employerB.Certificate.ToByteArray()).CreditCode!.Value.Value;

            using var integratorKey = Sm2PrivateKey.Generate();
            var integrator = devnet.Root.Issue(new CertificateRequest("E2E HR SaaS", Role.Integrator, DivisionCode.Parse("440000"), integratorKey.PublicKey,
                DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
            Task<CommittedTx> Submit(IContractPayload payload, params Party[] parties) => SubmitAsync(ledger, chainId, payload, integrator, integratorKey, parties);
            var a = new Party(guangzhouSigner, employerA, EmployerPin);
            var b = new Party(shaoguanSigner, employerB, EmployerPin);
            var workerGz = new Party(guangzhouSigner, workerInGuangzhou, WorkerPin);
            var workerSg = new Party(shaoguanSigner, workerInShaoguan, WorkerPin);

            async Task<CommittedTx> ConcludeAsync(string id, string employer, Party employerParty, Party worker, ContractTerms terms)
            {
                var register = new RegisterPayload
                {
                    ContractId = id, DocumentHash = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes("劳动合同 " + id)), DocumentFormat = DocumentFormat.Pdf,
                    EmployerCreditCode = employer, WorkerPseudonym = pseudonym, Terms = terms,
                };
                var registered = await Submit(register, employerParty);
                Assert.That(registered.Receipt.Code, Is.EqualTo(ErrorCode.Ok), $"{id}: {registered.Receipt.Message}");
                var signed = await Submit(new SignPayload { ContractId = id, Version = 1, DocumentHash = register.DocumentHash }, employerParty, worker);
                Assert.That(signed.Receipt.Code, Is.EqualTo(ErrorCode.Ok), $"{id}: {signed.Receipt.Message}");
                return registered;
            }

            static ContractTerms Fixed(int year, string place, bool probation = false) => new()
            {
                Type = ContractType.FixedTerm, Start = ContractDate.Create(year, 1, 1), End = ContractDate.Create(year, 12, 31),
                ProbationEnd = probation ? ContractDate.Create(year, 2, 28) : null, PlaceOfWork = place, Industry = "I6510",
            };

            // Guangzhou: a first fixed term with probation, signed with the Guangzhou certificate.
            await ConcludeAsync("GZ-CITY-A1", codeA, a, workerGz, Fixed(2026, TestConsortium.PlaceOfWork, probation: true));
            // Shaoguan: the same person at another employer, signed with the Shaoguan certificate; nothing carries over.
            var b1 = await ConcludeAsync("SG-CITY-B1", codeB, b, workerSg, Fixed(2026, ShaoguanPlace, probation: true));
            Assert.That(b1.Receipt.Warnings, Is.Empty, "another employer: no streak, and its own probation is lawful");
            var recordA = (await ledger.GetContractAsync("GZ-CITY-A1"))!.Record;
            var recordB = (await ledger.GetContractAsync("SG-CITY-B1"))!.Record;
            Assert.That(new Hash32(recordA.WorkerPseudonym.Span), Is.EqualTo(pseudonym));
            Assert.That(new Hash32(recordB.WorkerPseudonym.Span), Is.EqualTo(pseudonym), "the two cities' contracts name the same worker");
            Assert.That((recordA.Status, recordB.Status), Is.EqualTo((Rpc.ContractStatus.Effective, Rpc.ContractStatus.Effective)));

            // Back in Guangzhou, a second fixed term under a fresh contract id — the worker signs with the Shaoguan certificate.
            var a2 = await ConcludeAsync("GZ-CITY-A2", codeA, a, workerSg, Fixed(2027, TestConsortium.PlaceOfWork));
            Assert.That(a2.Receipt.Warnings, Is.Empty, "the second fixed term");
            // A third fixed term under yet another fresh id is warned (art. 14 para. 2 (3)) ...
            var a3 = await Submit(Registration("GZ-CITY-A3", codeA, pseudonym, Fixed(2028, TestConsortium.PlaceOfWork)), a);
            Assert.That((a3.Receipt.Code, a3.Receipt.Warnings), Is.EqualTo((ErrorCode.Ok, new[] { ErrorCode.ThirdConsecutiveFixedTerm })), a3.Receipt.Message);
            // ... and a fresh contract cannot agree a second probation with the same person (art. 19 para. 2).
            var a4 = await Submit(Registration("GZ-CITY-A4", codeA, pseudonym, Fixed(2029, TestConsortium.PlaceOfWork, probation: true)), a);
            Assert.That(a4.Receipt.Code, Is.EqualTo(ErrorCode.RepeatedProbation), a4.Receipt.Message);

            // A paper contract the (locally keyed) fixture employer uploads alone stays pending ...
            var scan = Sm3.Hash("纸质劳动合同扫描件 GZ-CITY-P1"u8);
            var upload = new UploadPaperPayload
            {
                ContractId = "GZ-CITY-P1", ScanHash = scan, ScanFormat = DocumentFormat.Pdf, EmployerCreditCode = devnet.EmployerCreditCode.Value,
                WorkerPseudonym = pseudonym, Terms = Fixed(2026, TestConsortium.PlaceOfWork), PaperSignedOn = ContractDate.Create(2025, 12, 20),
            };
            var uploaded = await ledger.WaitForCommitAsync(await ledger.SubmitAsync(new TransactionBuilder(chainId, upload).Build(devnet.Employer.Certificate!, devnet.Employer.Key)), TimeSpan.FromSeconds(30));
            Assert.That((uploaded.Receipt.Code, uploaded.Receipt.Warnings), Is.EqualTo((ErrorCode.Ok, new[] { ErrorCode.AwaitingConfirmation })), uploaded.Receipt.Message);
            var pending = (await ledger.GetContractAsync("GZ-CITY-P1"))!.Record;
            Assert.That((pending.Status, pending.EvidenceGrade, pending.EffectiveVersion), Is.EqualTo((Rpc.ContractStatus.PendingConfirmation, Rpc.EvidenceGrade.PaperScan, 0u)));
            var dismissal = new DissolvePayload
            {
                ContractId = "GZ-CITY-P1", Version = 1, DocumentHash = scan, Basis = DissolutionBasis.Art39ProbationFailed, EffectiveDate = ContractDate.Create(2026, 1, 31),
            };
            var dismissed = await ledger.WaitForCommitAsync(await ledger.SubmitAsync(new TransactionBuilder(chainId, dismissal).Build(devnet.Employer.Certificate!, devnet.Employer.Key)), TimeSpan.FromSeconds(30));
            Assert.That(dismissed.Receipt.Code, Is.EqualTo(ErrorCode.ContractNotEffective), "no dismissal on a contract nobody but the employer vouches for");
            // ... another enrolled person cannot confirm it, the named worker can (through the Shaoguan signer).
            var confirm = new ConfirmPaperPayload { ContractId = "GZ-CITY-P1", ScanHash = scan };
            var byStooge = await Submit(confirm, new Party(shaoguanSigner, stooge, WorkerPin));
            Assert.That(byStooge.Receipt.Code, Is.EqualTo(ErrorCode.WrongWorker), byStooge.Receipt.Message);
            var byWorker = await Submit(confirm, workerSg);
            Assert.That(byWorker.Receipt.Code, Is.EqualTo(ErrorCode.Ok), byWorker.Receipt.Message);
            var confirmed = (await ledger.GetContractAsync("GZ-CITY-P1"))!.Record;
            Assert.That((confirmed.Status, confirmed.EvidenceGrade), Is.EqualTo((Rpc.ContractStatus.Effective, Rpc.EvidenceGrade.PaperScanWorkerConfirmed)));

            foreach (var process in processes.Where(p => p == guangzhouProcess || p == shaoguanProcess))
                Assert.That(process.Output, Does.Not.Contain(IdNumber).And.Not.Contain(StoogeIdNumber).And.Not.Contain(WorkerPin));
        }
        finally
        {
            foreach (var process in Enumerable.Reverse(processes)) process.Stop(TimeSpan.FromSeconds(10));
            foreach (var process in processes) process.Dispose();
        }
    }

    private static RegisterPayload Registration(string id, string employer, Hash32 pseudonym, ContractTerms terms) => new()
    {
        ContractId = id, DocumentHash = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes("劳动合同 " + id)), DocumentFormat = DocumentFormat.Pdf,
        EmployerCreditCode = employer, WorkerPseudonym = pseudonym, Terms = terms,
    };

    /// <summary>
    /// The city's signer: Guangzhou's as network init configured it; Shaoguan's made here the same way (network init
    /// writes one signer, for the first city) — its own Bureau certificate from the Shaoguan CA, that CA's certificate and
    /// its CA process (which holds that CA's key and the province's pseudonym key), Shaoguan's operators.
    /// </summary>
    private async Task<(Grpc.Net.Client.GrpcChannel Channel, LedgerProcess Process)> StartSignerAsync(DevnetFixture devnet, string city, string passphrase)
    {
        var network = devnet.Directory.FullName;
        var template = Path.Combine(network, "signers", "guangzhou");
        var directory = Path.Combine(network, "signers", city);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(template, "config.json")))!;
        if (city != "guangzhou")
        {
            Directory.CreateDirectory(directory);
            var ca = TestWorkers.LoadCityCa(network, city, passphrase);
            using var key = Sm2PrivateKey.Generate();
            var certificate = ca.Issue(new CertificateRequest($"{city} signer service", Role.Bureau, ca.Certificate.Division, key.PublicKey,
                DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
            KeyFile.Save(Path.Combine(directory, "signer.key"), key, passphrase, KeyFileOptions.ForTests);
            await File.WriteAllTextAsync(Path.Combine(directory, "signer.pem"), certificate.ToPem());
            var kek = Path.Combine(directory, "kek");
            await File.WriteAllTextAsync(kek, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) + "\n");
            File.SetUnixFileMode(kek, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            foreach (var tls in new[] { "tls.pem", "tls.key" }) File.Copy(Path.Combine(template, tls), Path.Combine(directory, tls));
            File.SetUnixFileMode(Path.Combine(directory, "tls.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            config["name"] = $"{city}-signer";
            config["caCertificate"] = Path.Combine("..", "..", "ca", $"{city}.pem");
            config["certificate"] = "signer.pem";
            config["key"] = "signer.key";
            config["kekFile"] = "kek";
        }
        var port = LedgerProcess.FreePortPair();
        config["caUrl"] = _caUrls[city];
        config["grpcListen"] = $"127.0.0.1:{port}";
        config["httpListen"] = $"127.0.0.1:{port + 1}";
        var path = Path.Combine(directory, "config.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var process = LedgerProcess.Start("signer", "--config", path);
        await SignerEndToEndTests.WaitHealthyAsync(devnet, new Uri($"https://127.0.0.1:{port + 1}/healthz"), process);
        return (devnet.Transport.Channel(new Uri($"https://127.0.0.1:{port}")), process);
    }

    /// <summary>The city bureau's operator network init issued (operators/CITY/), signing its calls and its enrolment authorisations.</summary>
    private sealed record OperatorDesk(Rpc.SignerService.SignerServiceClient Client, CallerIdentity Identity)
    {
        public Task<Rpc.EnrolResponse> Enrol(Rpc.EnrolRequest request) => CityCaProcess.EnrolAsync(Client, Identity, request);
    }

    private static OperatorDesk Operator(DevnetFixture devnet, string city, string passphrase, Grpc.Net.Client.GrpcChannel signer)
    {
        var directory = Path.Combine(devnet.Directory.FullName, "operators", city);
        var identity = new CallerIdentity(LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(directory, "operator.pem"))),
            KeyFile.Load(Path.Combine(directory, "operator.key"), passphrase, KeyFileOptions.ForTests));
        return new OperatorDesk(new Rpc.SignerService.SignerServiceClient(signer.Intercept(new CallSigningInterceptor(identity))), identity);
    }

    /// <summary>Each party confirms the statement at its own city's signer with its PIN; the integrator submits; the commit's receipt is returned as is.</summary>
    private static async Task<CommittedTx> SubmitAsync(LedgerClient ledger, string chainId, IContractPayload payload, LedgerCertificate submitter, Sm2PrivateKey submitterKey,
        params Party[] parties)
    {
        var builder = new TransactionBuilder(chainId, payload);
        var toSign = SignerGrpcService.ToProto(new PayloadToSign(chainId, payload));
        foreach (var party in parties)
        {
            var challenge = await party.Signer.RequestSignatureAsync(new Rpc.RequestSignatureRequest { HolderId = party.Holder.HolderId, Payload = toSign });
            Assert.That(challenge.Statement, Is.EqualTo(SignerGrpcService.ToProto(builder.Statement)), "the signer derives the statement the SDK does");
            var confirmed = await party.Signer.ConfirmSignatureAsync(new Rpc.ConfirmSignatureRequest { HolderId = party.Holder.HolderId, ChallengeId = challenge.ChallengeId, Pin = party.Pin, Payload = toSign });
            builder.AddStatementSignature(LedgerCertificate.FromDer(confirmed.Certificate.ToByteArray()), confirmed.Signature.Memory);
        }
        return await ledger.WaitForCommitAsync(await ledger.SubmitAsync(builder.Build(submitter, submitterKey)), TimeSpan.FromSeconds(30));
    }
}
