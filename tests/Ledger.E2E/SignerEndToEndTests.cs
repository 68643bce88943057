using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Audit;
using Ledger.Core.Contracts;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Signer.Grpc;
using Ledger.Signer.Intent;
using Ledger.TestKit;
using Ledger.TestKit.Network;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// The signer issue's acceptance on real processes: a one-validator `ledger node` and the `ledger signer` that
/// `network init` configured. An employer and a worker enrol and confirm their consents through the signer; the
/// integrator submits with the SDK; the contract becomes effective; its proof verifies offline (SDK and
/// `ledger proof verify`); the signer's audit head is anchored on the chain and checks against the log. Enrolment is
/// on the authority of Guangzhou's operator (the Bureau certificate network init wrote to operators/guangzhou/): an
/// unsigned enrolment and one signed by an operator outside Guangzhou are refused by the running signer, and the audit
/// log names the operator of each enrolment.
/// </summary>
[NonParallelizable]
public class SignerEndToEndTests
{
    private const string EmployerPin = "employer-pin-2468";
    private const string WorkerPin = "951357";
    private const string WorkerIdNumber = "44010619850315002X";

    [Test]
    public async Task Employer_and_worker_sign_through_the_signer_and_the_contract_becomes_effective()
    {
        using var devnet = new DevnetFixture();
        var signerDirectory = Path.Combine(devnet.Directory.FullName, "signers", "guangzhou");
        var configPath = Path.Combine(signerDirectory, "config.json");
        var signerPort = LedgerProcess.FreePortPair();
        var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath))!;
        config["grpcListen"] = $"127.0.0.1:{signerPort}";
        config["httpListen"] = $"127.0.0.1:{signerPort + 1}";
        config["anchorIntervalSeconds"] = 1;

        using var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig());
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
        // The city CA's key lives in its CA process on the bureau's internal side; the signer reaches it over mutual TLS.
        var (caUrl, caProcess) = await CityCaProcess.StartAsync(devnet.Directory.FullName, "guangzhou");
        using var _ = caProcess;
        config["caUrl"] = caUrl;
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        using var signer = LedgerProcess.Start("signer", "--config", configPath);
        await WaitHealthyAsync(devnet, new Uri($"https://127.0.0.1:{signerPort + 1}/healthz"), signer);

        using var channel = devnet.Transport.Channel(new Uri($"https://127.0.0.1:{signerPort}"));
        var signerClient = new Rpc.SignerService.SignerServiceClient(channel);
        using var ledger = devnet.Connect();

        // Guangzhou's operator, as network init issued it (a devnet shortcut: a real operator sends a CSR).
        var operatorDirectory = Path.Combine(devnet.Directory.FullName, "operators", "guangzhou");
        var passphrase = (await File.ReadAllTextAsync(Path.Combine(devnet.Directory.FullName, "passphrase"))).Trim();
        var guangzhouOperator = new CallerIdentity(LedgerCertificate.FromPem(await File.ReadAllTextAsync(Path.Combine(operatorDirectory, "operator.pem"))),
            KeyFile.Load(Path.Combine(operatorDirectory, "operator.key"), passphrase, KeyFileOptions.ForTests));
        var operatorClient = new Rpc.SignerService.SignerServiceClient(channel.Intercept(new CallSigningInterceptor(guangzhouOperator)));

        // Nobody else enrols: not an anonymous caller, not the province's own Bureau certificate (another CA than Guangzhou's).
        var workerRequest = new Rpc.EnrolRequest { Kind = Rpc.HolderKind.Person, Pin = WorkerPin, IdNumber = WorkerIdNumber };
        var unsigned = (await Assert.ThrowsAsync<RpcException>(() => signerClient.EnrolAsync(workerRequest).ResponseAsync))!;
        Assert.That((unsigned.StatusCode, unsigned.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason), Is.EqualTo((StatusCode.PermissionDenied, "NotAuthorised")));
        using var provinceKey = Sm2PrivateKey.Generate();
        var provinceBureau = new CallerIdentity(devnet.Root.Issue(new CertificateRequest("Province bureau operator", Role.Operator, DivisionCode.Parse("440000"),
            provinceKey.PublicKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1))), provinceKey);
        var outsider = (await Assert.ThrowsAsync<RpcException>(() =>
            new Rpc.SignerService.SignerServiceClient(channel.Intercept(new CallSigningInterceptor(provinceBureau))).EnrolAsync(workerRequest).ResponseAsync))!;
        Assert.That((outsider.StatusCode, outsider.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason), Is.EqualTo((StatusCode.Unauthenticated, "UntrustedCertificate")));

        // Enrolment: the operator never sees a PIN or a key; the holders get certificates from the Guangzhou CA.
        var employer = await CityCaProcess.EnrolAsync(operatorClient, guangzhouOperator, new Rpc.EnrolRequest
        {
            Kind = Rpc.HolderKind.Organisation, Pin = EmployerPin, OrganisationName = "E2E Employer Co.", CreditCode = devnet.EmployerCreditCode.Value,
        });
        var authorised = await CityCaProcess.AuthoriseAsync(operatorClient, guangzhouOperator, workerRequest);
        var worker = await operatorClient.EnrolAsync(authorised);

        // A compromised signer, holding the signer's TLS identity and an authorisation it once forwarded, gets nothing more
        // from the CA process: the operator's authorisation is spent.
        using (var signerTls = Crypto.Transport.TransportCredentials.Load(Path.Combine(signerDirectory, "tls.pem"), Path.Combine(signerDirectory, "tls.key")))
        using (var caChannel = Grpc.Net.Client.GrpcChannel.ForAddress(caUrl, new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = devnet.Transport.Handler(signerTls), DisposeHttpClient = true }))
        {
            var replay = new Rpc.IssueRequest { Authorisation = authorised.Authorisation, IdNumber = WorkerIdNumber };
            var refused = (await Assert.ThrowsAsync<RpcException>(() => new Rpc.CaService.CaServiceClient(caChannel).IssueAsync(replay).ResponseAsync))!;
            Assert.That((refused.StatusCode, refused.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason), Is.EqualTo((StatusCode.PermissionDenied, "EnrolmentAuthorisationReplayed")));
        }
        var workerPseudonym = LedgerCertificate.FromDer(worker.Certificate.ToByteArray()).WorkerPseudonym!.Value;

        // The integrator submits; it signs only the body, the parties' consents come from the signer.
        using var integratorKey = Sm2PrivateKey.Generate();
        var integrator = devnet.Root.Issue(new CertificateRequest("E2E HR SaaS", Role.Integrator, DivisionCode.Parse("440100"), integratorKey.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
        var chain = await ledger.GetChainInfoAsync();
        var document = System.Text.Encoding.UTF8.GetBytes("劳动合同 — signed through the Guangzhou bureau's signer service.");
        const string contractId = "GZ-2026-SIGNER-1";
        var register = new RegisterPayload
        {
            ContractId = contractId,
            DocumentHash = Sm3.Hash(document),
            DocumentFormat = DocumentFormat.Pdf,
            EmployerCreditCode = devnet.EmployerCreditCode.Value,
            WorkerPseudonym = workerPseudonym,
            Terms = new ContractTerms { Type = ContractType.OpenEnded, Start = ContractDate.Create(2026, 1, 1), PlaceOfWork = TestConsortium.PlaceOfWork, Industry = "I6510" },
        };
        var registered = await SubmitAsync(ledger, signerClient, chain.ChainId, register, integrator, integratorKey, (employer, EmployerPin));
        var signed = await SubmitAsync(ledger, signerClient, chain.ChainId, new SignPayload { ContractId = contractId, Version = 1, DocumentHash = Sm3.Hash(document) },
            integrator, integratorKey, (employer, EmployerPin), (worker, WorkerPin));

        var contract = await ledger.GetContractAsync(contractId);
        Assert.That(contract!.Record.Status.ToString(), Does.Contain("Effective").IgnoreCase);
        Assert.That(contract.History.Select(h => h.TxId), Is.EqualTo(new[] { registered.TxId, signed.TxId }));

        // The proof of the sign tx, offline: SDK and the command line a court would use.
        var genesis = GenesisDocument.FromJson(await File.ReadAllTextAsync(Path.Combine(devnet.Directory.FullName, "genesis.json")));
        var proof = await ledger.GetEvidenceAsync(signed.TxId);
        var report = EvidenceVerifier.Verify(proof!, genesis, new MemoryStream(document));
        Assert.That(report.IsValid, Is.True, report.Result.ToString());
        var proofPath = Path.Combine(devnet.Directory.FullName, "signer-proof.json");
        var documentPath = Path.Combine(devnet.Directory.FullName, "contract.pdf");
        await File.WriteAllTextAsync(proofPath, proof!.ToJson());
        await File.WriteAllBytesAsync(documentPath, document);
        var (exit, output) = LedgerProcess.Run("proof", "verify", proofPath, "--genesis", Path.Combine(devnet.Directory.FullName, "genesis.json"), "--file", documentPath);
        Assert.That(exit, Is.Zero, output);

        // The audit head is anchored on the chain (every second here), and the bureau's check agrees with the log.
        Rpc.ListAuditEventsResponse audit = null!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            audit = await operatorClient.ListAuditEventsAsync(new Rpc.ListAuditEventsRequest { Bureau = new Rpc.BureauRequester(), Limit = 1000 });
            if (audit.Check.Anchored && audit.Check.AnchoredSequence == audit.Check.HeadSequence) break;
            await Task.Delay(250);
        }
        Assert.That(audit.Check is { Intact: true, Anchored: true, AnchorMatches: true }, Is.True, audit.Check.ToString());
        Assert.That(audit.Events.Count(e => e.Kind == "SignatureConfirmed"), Is.EqualTo(3), "employer on register, employer and worker on sign");
        var enrolments = audit.Events.Where(e => e.Kind == "Enrolled").ToList();
        Assert.That(enrolments, Has.Count.EqualTo(2), "the refused enrolments enrolled nobody");
        Assert.That(enrolments.Select(e => new Hash32(e.OperatorCertificateId.Span)), Is.All.EqualTo(guangzhouOperator.Certificate.Id), "who enrolled them");
        Assert.That(enrolments.Select(e => e.OperatorSubject), Is.All.EqualTo(guangzhouOperator.Certificate.Subject));
        var anchorTx = await ledger.GetTransactionAsync(new Hash32(audit.Check.AnchorTxId.Span));
        Assert.That(anchorTx!.Succeeded, Is.True);
        Assert.That(anchorTx.Envelope.Body.PayloadField, Is.EqualTo(AuditAnchorPayload.Field));
        var anchored = AuditAnchorPayload.Decode(anchorTx.Envelope.Body.Payload.Span);
        Assert.That(anchored.HeadHash.ToArray(), Is.EqualTo(audit.Events.Single(e => e.Sequence == anchored.Sequence).Hash.ToByteArray()));

        Assert.That(signer.Output, Does.Not.Contain(EmployerPin).And.Not.Contain(WorkerPin).And.Not.Contain(WorkerIdNumber));
        Assert.That(signer.Stop(TimeSpan.FromSeconds(10)), Is.Zero, signer.Output);
        node.Stop(TimeSpan.FromSeconds(10));
    }

    /// <summary>Each party is asked for a challenge on the builder's statement, confirms it with the PIN, and its signature goes into the tx.</summary>
    private static async Task<CommittedTx> SubmitAsync(LedgerClient ledger, Rpc.SignerService.SignerServiceClient signer, string chainId, IContractPayload payload,
        LedgerCertificate submitter, Sm2PrivateKey submitterKey, params (Rpc.EnrolResponse Holder, string Pin)[] parties)
    {
        var builder = new TransactionBuilder(chainId, payload);
        var statement = SignerGrpcService.ToProto(builder.Statement);
        var toSign = SignerGrpcService.ToProto(new PayloadToSign(chainId, payload));
        foreach (var (holder, pin) in parties)
        {
            var challenge = await signer.RequestSignatureAsync(new Rpc.RequestSignatureRequest { HolderId = holder.HolderId, Payload = toSign });
            Assert.That(challenge.Statement, Is.EqualTo(statement), "the signer derives the same statement as the SDK");
            Assert.That(challenge.StatementText, Does.Contain(payload.ContractId), "the holder is shown the contract");
            var confirmed = await signer.ConfirmSignatureAsync(new Rpc.ConfirmSignatureRequest { HolderId = holder.HolderId, ChallengeId = challenge.ChallengeId, Pin = pin, Payload = toSign });
            builder.AddStatementSignature(LedgerCertificate.FromDer(confirmed.Certificate.ToByteArray()), confirmed.Signature.Memory);
        }
        var txId = await ledger.SubmitAsync(builder.Build(submitter, submitterKey));
        var committed = await ledger.WaitForCommitAsync(txId, TimeSpan.FromSeconds(30));
        Assert.That(committed.Receipt.Code, Is.EqualTo(ErrorCode.Ok), $"{payload.Action}: {committed.Receipt.Message}");
        return committed;
    }

    internal static async Task WaitHealthyAsync(DevnetFixture devnet, Uri healthz, LedgerProcess process)
    {
        using var http = devnet.Transport.Http(TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"the signer exited:\n{process.Output}");
            try
            {
                if ((await http.GetAsync(healthz)).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the signer did not become healthy:\n{process.Output}");
    }
}
