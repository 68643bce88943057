using Ledger.Client;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;
using Ledger.Crypto;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Ledger.TestKit;
using Ledger.TestKit.Network;

namespace Ledger.E2E;

/// <summary>
/// Issue 4's acceptance, over real gRPC on 127.0.0.1: register, both sign, change, both sign again,
/// dissolve by agreement; read the history; fetch the proof; verify it offline with the SDK and with
/// <c>ledger proof verify</c>; a proof with one byte changed fails.
/// </summary>
[NonParallelizable]
public class LifecycleOverGrpcTests
{
    private DevnetFixture _devnet = null!;
    private NodeHost _node = null!;
    private LedgerClient _client = null!;
    private TestParty _revokedEmployer = null!;

    [OneTimeSetUp]
    public async Task StartNode()
    {
        _devnet = new DevnetFixture();
        // An employer whose certificate the province revoked, in a CRL the node is configured with.
        var key = Sm2PrivateKey.Generate();
        var certificate = _devnet.Root.Issue(new Crypto.Certificates.CertificateRequest("Revoked Employer Co.", Core.Identity.Role.Employer,
            Core.Identity.DivisionCode.Parse("440100"), key.PublicKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), _devnet.EmployerCreditCode));
        _revokedEmployer = new TestParty("revoked", key, certificate);
        var crl = _devnet.Root.IssueCrl([Crypto.Certificates.RevokedCertificate.Of(certificate, DateTimeOffset.UtcNow.AddMinutes(-5))],
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7));
        var crlPath = Path.Combine(_devnet.Directory.FullName, "province.crl.pem");
        await File.WriteAllTextAsync(crlPath, crl.ToPem());
        var config = NodeConfig.Load(_devnet.NodeConfig()) with { GrpcListen = "127.0.0.1:0", HttpListen = "127.0.0.1:0", Crls = [crlPath] };
        _node = await NodeHost.StartAsync(config, logging: _ => { });
        _client = LedgerClient.Connect(_node.GrpcEndpoint.ToString(), new LedgerClientOptions { TransportCa = _devnet.Transport.Trust, Identity = _devnet.Observer });
    }

    [OneTimeTearDown]
    public async Task StopNode()
    {
        _client.Dispose();
        await _node.DisposeAsync();
        _devnet.Dispose();
    }

    private async Task<CommittedTx> SubmitAsync(IContractPayload payload, params TestParty[] statementSigners)
    {
        var builder = new TransactionBuilder(_devnet.ChainId, payload);
        foreach (var signer in statementSigners)
        {
            builder.SignStatement(signer.Certificate!, signer.Key);
        }
        var envelope = builder.Build(_devnet.Employer.Certificate!, _devnet.Employer.Key);
        var txId = await _client.SubmitAsync(envelope);
        var committed = await _client.WaitForCommitAsync(txId, TimeSpan.FromSeconds(20));
        Assert.That(committed.Receipt.Code, Is.EqualTo(ErrorCode.Ok), $"{payload.Action}: {committed.Receipt.Message}");
        return committed;
    }

    [Test]
    public async Task A_contract_lives_its_lifecycle_and_its_proof_verifies_offline()
    {
        var documentV1 = System.Text.Encoding.UTF8.GetBytes("劳动合同 v1 — employer and worker agree on the terms of employment.");
        var documentV2 = System.Text.Encoding.UTF8.GetBytes("劳动合同 v2 — the place of work changes to Tianhe.");
        var v1 = Sm3.Hash(documentV1);
        var v2 = Sm3.Hash(documentV2);
        const string contractId = "GZ-2026-000001";
        var employer = _devnet.Employer;
        var worker = _devnet.Worker;
        var terms = new ContractTerms
        {
            Type = ContractType.FixedTerm,
            Start = ContractDate.Create(2026, 1, 1),
            End = ContractDate.Create(2028, 12, 31),
            ProbationEnd = ContractDate.Create(2026, 2, 28),
            PlaceOfWork = TestConsortium.PlaceOfWork,
            Industry = "I6510",
        };

        var register = await SubmitAsync(new RegisterPayload
        {
            ContractId = contractId,
            DocumentHash = v1,
            DocumentFormat = DocumentFormat.Pdf,
            EmployerCreditCode = _devnet.EmployerCreditCode.Value,
            WorkerPseudonym = _devnet.WorkerPseudonym,
            Terms = terms,
        }, employer);
        var signV1 = await SubmitAsync(new SignPayload { ContractId = contractId, Version = 1, DocumentHash = v1 }, employer, worker);
        var change = await SubmitAsync(new ChangePayload { ContractId = contractId, BaseVersion = 1, DocumentHash = v2, DocumentFormat = DocumentFormat.Pdf, Terms = terms }, employer);
        var signV2 = await SubmitAsync(new SignPayload { ContractId = contractId, Version = 2, DocumentHash = v2 }, employer, worker);
        var dissolve = await SubmitAsync(new DissolvePayload
        {
            ContractId = contractId,
            Version = 2,
            DocumentHash = v2,
            Basis = DissolutionBasis.Art36Agreement,
            EffectiveDate = ContractDate.Create(2027, 6, 30),
        }, employer, worker);

        // The history, as the node reports it.
        var contract = await _client.GetContractAsync(contractId);
        Assert.That(contract, Is.Not.Null);
        Assert.That(contract!.History.Select(h => h.TxId), Is.EqualTo(new[] { register.TxId, signV1.TxId, change.TxId, signV2.TxId, dissolve.TxId }));
        Assert.That(contract.Record.Versions, Has.Count.EqualTo(2));
        Assert.That(contract.Record.Status.ToString(), Does.Contain("Dissolved").IgnoreCase);
        var anchoredV1 = await _client.FindByDocumentHashAsync(v1);
        Assert.That(anchoredV1.Select(t => t.TxId), Is.EqualTo(new[] { register.TxId, signV1.TxId }), "the change anchored v2, not v1");

        // After dissolution, nothing more may happen to the contract.
        var late = new TransactionBuilder(_devnet.ChainId, new SignPayload { ContractId = contractId, Version = 2, DocumentHash = v2 })
            .SignStatement(employer.Certificate!, employer.Key).SignStatement(worker.Certificate!, worker.Key)
            .Build(employer.Certificate!, employer.Key);
        var lateCommitted = await _client.WaitForCommitAsync(await _client.SubmitAsync(late), TimeSpan.FromSeconds(20));
        Assert.That(lateCommitted.Receipt.Code, Is.Not.EqualTo(ErrorCode.Ok), "no lifecycle action after dissolution");

        // The proof of the worker's signature on version 1, checked offline against genesis and the file.
        var genesis = GenesisDocument.FromJson(File.ReadAllText(Path.Combine(_devnet.Directory.FullName, "genesis.json")));
        var proof = await _client.GetEvidenceAsync(signV1.TxId);
        Assert.That(proof, Is.Not.Null);
        var report = EvidenceVerifier.Verify(proof!, genesis, new MemoryStream(documentV1));
        Assert.That(report.IsValid, Is.True, report.Result.ToString());
        Assert.That(report.ContractId, Is.EqualTo(contractId));
        Assert.That(report.Height, Is.EqualTo(signV1.Height));

        var otherFile = (byte[])documentV1.Clone();
        otherFile[^1] ^= 1;
        Assert.That(EvidenceVerifier.Verify(proof!, genesis, new MemoryStream(otherFile)).Result.Code, Is.EqualTo(ErrorCode.DocumentHashMismatch));

        // One byte changed anywhere in the header fails verification.
        var header = Convert.FromBase64String(proof!.Header);
        for (var i = 0; i < header.Length; i += 5)
        {
            var tampered = (byte[])header.Clone();
            tampered[i] ^= 0x01;
            var result = EvidenceVerifier.Verify(proof with { Header = Convert.ToBase64String(tampered) }, genesis);
            Assert.That(result.IsValid, Is.False, $"header byte {i}");
        }

        // The same through the command line a court would use.
        var proofPath = Path.Combine(_devnet.Directory.FullName, "proof.json");
        var filePath = Path.Combine(_devnet.Directory.FullName, "contract-v1.pdf");
        await File.WriteAllTextAsync(proofPath, proof.ToJson());
        await File.WriteAllBytesAsync(filePath, documentV1);
        var genesisPath = Path.Combine(_devnet.Directory.FullName, "genesis.json");
        var (ok, okOutput) = LedgerProcess.Run("proof", "verify", proofPath, "--genesis", genesisPath, "--file", filePath);
        Assert.That(ok, Is.Zero, okOutput);

        var tamperedProof = proof with { Receipt = Flip(proof.Receipt) };
        await File.WriteAllTextAsync(proofPath, tamperedProof.ToJson());
        var (bad, badOutput) = LedgerProcess.Run("proof", "verify", proofPath, "--genesis", genesisPath);
        Assert.That(bad, Is.EqualTo(1), badOutput);

        await File.WriteAllTextAsync(proofPath, "{ not json");
        var (garbage, _) = LedgerProcess.Run("proof", "verify", proofPath, "--genesis", genesisPath);
        Assert.That(garbage, Is.EqualTo(2));
    }

    private static string Flip(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes[bytes.Length / 2] ^= 0x01;
        return Convert.ToBase64String(bytes);
    }

    [Test]
    public async Task Health_and_metrics_are_served_on_the_http_port()
    {
        using var http = _devnet.Transport.Http();
        var health = await http.GetStringAsync(new Uri(_node.HttpEndpoint, "/healthz"));
        Assert.That(health, Does.StartWith("ok"));
        var metrics = await http.GetStringAsync(new Uri(_node.HttpEndpoint, "/metrics"));
        Assert.That(metrics, Does.Contain("# TYPE ledger_height gauge"));
        Assert.That(metrics, Does.Contain("ledger_mempool_transactions{"));
        Assert.That(metrics, Does.Contain("ledger_submissions_total{"), "refusals by code appear once there is one (Bad_input_gets_typed_errors... checks them)");
    }

    [Test]
    public async Task Bad_input_gets_typed_errors_and_the_node_keeps_serving()
    {
        var random = new TestKit.RandomFormats(5);
        for (var i = 0; i < 50; i++)
        {
            var ex = await Assert.ThrowsAsync<LedgerClientException>(() => _client.SubmitAsync(random.Bytes(random.Random.Next(1, 300))));
            Assert.That(ex!.Code, Is.Not.EqualTo(ErrorCode.Ok));
        }
        var (envelope, _) = _devnet.NewRegistration();
        var wrongChain = await Assert.ThrowsAsync<LedgerClientException>(() => _client.SubmitAsync(BadChain(envelope)));
        Assert.That(wrongChain!.Code, Is.EqualTo(ErrorCode.InvalidSignature).Or.EqualTo(ErrorCode.WrongChainId));

        var (byRevoked, _) = _devnet.NewRegistration(_revokedEmployer);
        var revoked = await Assert.ThrowsAsync<LedgerClientException>(() => _client.SubmitAsync(byRevoked));
        Assert.That(revoked!.Code, Is.EqualTo(ErrorCode.CertificateRevoked));

        var id = await _client.SubmitAsync(envelope);
        var duplicate = await Assert.ThrowsAsync<LedgerClientException>(() => _client.SubmitAsync(envelope));
        Assert.That(duplicate!.Code, Is.EqualTo(ErrorCode.DuplicateTransaction));
        var committed = await _client.WaitForCommitAsync(id, TimeSpan.FromSeconds(20));
        Assert.That(committed.Succeeded, Is.True, "still serving after the garbage");
        var metrics = await _devnet.Transport.Http().GetStringAsync(new Uri(_node.HttpEndpoint, "/metrics"));
        Assert.That(metrics, Does.Contain("code=\"DuplicateTransaction\""));
    }

    private static byte[] BadChain(Core.Transactions.TxEnvelope envelope)
    {
        var body = envelope.Body;
        var other = new Core.Transactions.TxBody { ChainId = "not-this-chain", Nonce = body.Nonce, ExpiresAt = body.ExpiresAt, Submitter = body.Submitter, PayloadField = body.PayloadField, Payload = body.Payload };
        return new Core.Transactions.TxEnvelope { BodyBytes = other.Encode(), Endorsements = envelope.Endorsements }.Encode();
    }
}
