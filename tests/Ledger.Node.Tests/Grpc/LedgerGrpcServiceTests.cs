using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Ledger.Chaincode.State;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Node.Access;
using Ledger.Node.Grpc;
using Ledger.TestKit.Builders;
using V1 = Ledger.Proto.V1;

namespace Ledger.Node.Tests.Grpc;

/// <summary>The service class called directly, over a fake API: mapping of requests, answers and refusals.</summary>
public class LedgerGrpcServiceTests
{
    private static readonly Lazy<TestNetwork> SharedNetwork = new(() => TestNetwork.Create(4));
    private static TestNetwork Network => SharedNetwork.Value;
    private static TestIdentity Worker => Network.Worker;

    private FakeLedgerApi _api = null!;
    private LedgerGrpcService _service = null!;

    [SetUp]
    public void SetUp()
    {
        _api = new FakeLedgerApi(Network);
        _service = Service(_api);
    }

    /// <summary>The service with the node's read policy; a validator of the network reads everything.</summary>
    private static LedgerGrpcService Service(FakeLedgerApi api, IEquivocationSource? equivocations = null) =>
        new(api, new ReadPolicy(api, id => Network.Validators.Any(v => v.Certificate.Id == id)), new AccessRecordGate(api), equivocations);

    /// <summary>A call by a validator of the network (whole blocks, every contract), as the interceptor would leave it.</summary>
    private static FakeServerCallContext Context(DateTime? deadline = null)
    {
        var context = new FakeServerCallContext(deadline);
        CallerContext.Set(context, Caller.Of(Network.Validators[0].Certificate));
        return context;
    }

    private static byte[] Envelope(string contractId, ulong nonce = 1) =>
        TestContracts.Envelope(Network, TestContracts.Register(contractId), Network.Employer, Network.Employer, Worker, nonce);

    private static ByteString Id(byte[] envelope) => ByteString.CopyFrom(Sm3.Hash(TxEnvelope.Decode(envelope).BodyBytes.Span).ToArray());

    private static (StatusCode Status, ErrorInfo? Info, BadRequest? BadRequest, ResourceInfo? Resource) Refusal(Func<Task> call)
    {
        RpcException e;
        try
        {
            call().GetAwaiter().GetResult();
            throw new AssertionException("the call was not refused");
        }
        catch (RpcException caught)
        {
            e = caught;
        }
        var status = e.GetRpcStatus();
        return (e.StatusCode, status?.GetDetail<ErrorInfo>(), status?.GetDetail<BadRequest>(), status?.GetDetail<ResourceInfo>());
    }

    [Test]
    public async Task Submit_answers_the_tx_id_of_an_admitted_envelope()
    {
        var envelope = Envelope("GZ-S-1");

        var response = await _service.Submit(new V1.SubmitRequest { Envelope = ByteString.CopyFrom(envelope) }, Context());

        Assert.That(response.TxId, Is.EqualTo(Id(envelope)));
    }

    [TestCase(ErrorCode.Truncated, StatusCode.InvalidArgument)]
    [TestCase(ErrorCode.Oversize, StatusCode.InvalidArgument)]
    [TestCase(ErrorCode.UnknownPayload, StatusCode.InvalidArgument)]
    [TestCase(ErrorCode.WrongChainId, StatusCode.FailedPrecondition)]
    [TestCase(ErrorCode.Expired, StatusCode.FailedPrecondition)]
    [TestCase(ErrorCode.StaleNonce, StatusCode.FailedPrecondition)]
    [TestCase(ErrorCode.InvalidSignature, StatusCode.FailedPrecondition)]
    [TestCase(ErrorCode.UnknownCertificate, StatusCode.FailedPrecondition)]
    [TestCase(ErrorCode.CertificateRevoked, StatusCode.FailedPrecondition)]
    [TestCase(ErrorCode.DuplicateTransaction, StatusCode.AlreadyExists)]
    [TestCase(ErrorCode.MempoolFull, StatusCode.ResourceExhausted)]
    public void Submit_maps_each_refusal_to_its_status_with_the_code_in_the_details(ErrorCode code, StatusCode expected)
    {
        _api.NextRefusal = ValidationResult.Fail(code, "refused for the test");

        var (status, info, _, _) = Refusal(() => _service.Submit(new V1.SubmitRequest { Envelope = ByteString.CopyFrom(Envelope("GZ-S-2")) }, Context()));

        Assert.That(status, Is.EqualTo(expected));
        Assert.That(info, Is.Not.Null);
        Assert.That(info!.Domain, Is.EqualTo("ledger.v1"));
        Assert.That(info.Reason, Is.EqualTo(code.ToString()));
        Assert.That(info.Metadata["code"], Is.EqualTo(((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task A_full_pool_is_RESOURCE_EXHAUSTED_with_a_retry_hint_in_RetryInfo()
    {
        _api.NextRefusal = ValidationResult.Fail(ErrorCode.MempoolFull, "the pool holds what the chain commits in 10 s");
        _api.NextRetryAfter = TimeSpan.FromMilliseconds(1_500.2);

        var e = await Assert.ThrowsAsync<RpcException>(() => _service.Submit(new V1.SubmitRequest { Envelope = ByteString.CopyFrom(Envelope("GZ-S-9")) }, Context()));

        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        var status = e.GetRpcStatus()!;
        Assert.That(status.GetDetail<ErrorInfo>()!.Reason, Is.EqualTo(nameof(ErrorCode.MempoolFull)));
        Assert.That(status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan(), Is.EqualTo(TimeSpan.FromMilliseconds(1_501)), "whole milliseconds, rounded up");
        Assert.That(Ledger.Client.LedgerClient.RetryAfterOf(e!), Is.EqualTo(TimeSpan.FromMilliseconds(1_501)), "the SDK reads the same hint");
    }

    [Test]
    public async Task A_refusal_without_a_hint_carries_no_RetryInfo()
    {
        _api.NextRefusal = ValidationResult.Fail(ErrorCode.StaleNonce, "spent");

        var e = await Assert.ThrowsAsync<RpcException>(() => _service.Submit(new V1.SubmitRequest { Envelope = ByteString.CopyFrom(Envelope("GZ-S-10")) }, Context()));

        Assert.That(e!.GetRpcStatus()!.GetDetail<RetryInfo>(), Is.Null);
    }

    [Test]
    public void Submit_of_random_bytes_is_INVALID_ARGUMENT_with_the_decoding_code()
    {
        var random = new Random(4);
        var refused = 0;
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            var (status, info, _, _) = Refusal(() => _service.Submit(new V1.SubmitRequest { Envelope = ByteString.CopyFrom(bytes) }, Context()));
            Assert.That(status, Is.EqualTo(StatusCode.InvalidArgument), $"input {i}");
            Assert.That(Enum.TryParse<ErrorCode>(info!.Reason, out var code) && (int)code is >= 100 and < 300, Is.True, info.Reason);
            refused++;
        }
        Assert.That(refused, Is.EqualTo(200));
    }

    [Test]
    public void Submit_of_a_duplicate_is_ALREADY_EXISTS()
    {
        var request = new V1.SubmitRequest { Envelope = ByteString.CopyFrom(Envelope("GZ-S-3")) };
        Assert.That(async () => await _service.Submit(request, Context()), Throws.Nothing);

        Assert.That(Refusal(() => _service.Submit(request, Context())).Status, Is.EqualTo(StatusCode.AlreadyExists));
    }

    [Test]
    public void Submit_without_an_envelope_names_the_missing_field()
    {
        var (status, info, badRequest, _) = Refusal(() => _service.Submit(new V1.SubmitRequest(), Context()));

        Assert.That(status, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(info!.Reason, Is.EqualTo(nameof(ErrorCode.MissingField)));
        Assert.That(badRequest!.FieldViolations.Single().Field, Is.EqualTo("envelope"));
    }

    [TestCase(0)]
    [TestCase(31)]
    [TestCase(33)]
    public void A_hash_that_is_not_32_bytes_is_a_field_violation(int length)
    {
        var hash = ByteString.CopyFrom(new byte[length]);

        var (status, info, badRequest, _) = Refusal(() => _service.GetTransaction(new V1.GetTransactionRequest { TxId = hash }, Context()));
        Assert.That(status, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(info!.Reason, Is.EqualTo(nameof(ErrorCode.InvalidFieldValue)));
        Assert.That(badRequest!.FieldViolations.Single().Field, Is.EqualTo("tx_id"));

        Assert.That(Refusal(() => _service.FindByDocumentHash(new V1.FindByDocumentHashRequest { DocumentHash = hash }, Context())).BadRequest!.FieldViolations.Single().Field,
            Is.EqualTo("document_hash"));
        Assert.That(Refusal(() => _service.GetBlock(new V1.GetBlockRequest { Hash = hash }, Context())).Status, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public void Unknown_ids_are_NOT_FOUND_with_the_resource_named()
    {
        var unknown = ByteString.CopyFrom(new byte[32]);

        var tx = Refusal(() => _service.GetTransaction(new V1.GetTransactionRequest { TxId = unknown }, Context()));
        var evidence = Refusal(() => _service.GetEvidence(new V1.GetEvidenceRequest { TxId = unknown }, Context()));
        var block = Refusal(() => _service.GetBlock(new V1.GetBlockRequest { Height = 99 }, Context()));
        var contract = Refusal(() => _service.GetContract(new V1.GetContractRequest { ContractId = "GZ-NONE" }, Context()));

        Assert.That(new[] { tx.Status, evidence.Status, block.Status, contract.Status }, Is.All.EqualTo(StatusCode.NotFound));
        Assert.That(tx.Resource!.ResourceType, Is.EqualTo("transaction"));
        Assert.That(contract.Info!.Reason, Is.EqualTo(nameof(ErrorCode.ContractNotFound)));
        Assert.That(contract.Resource!.ResourceName, Is.EqualTo("GZ-NONE"));
        Assert.That(new[] { tx.Info!.Reason, evidence.Info!.Reason, block.Info!.Reason },
            Is.EqualTo(new[] { nameof(ErrorCode.UnknownTransaction), nameof(ErrorCode.UnknownTransaction), nameof(ErrorCode.UnknownBlock) }));

        // A validator set beyond the next height is not known yet (nor is height 0's: genesis decides no block).
        foreach (var height in new ulong[] { 0, 99 })
        {
            var set = Refusal(() => _service.GetValidatorSet(new V1.GetValidatorSetRequest { Height = height }, Context()));
            Assert.That(set.Status, Is.EqualTo(StatusCode.NotFound), $"height {height}");
            Assert.That(set.Info!.Reason, Is.EqualTo(nameof(ErrorCode.UnknownBlock)));
            Assert.That(set.Resource!.ResourceName, Is.EqualTo(height.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public void GetBlock_without_height_or_hash_is_INVALID_ARGUMENT()
    {
        Assert.That(Refusal(() => _service.GetBlock(new V1.GetBlockRequest(), Context())).BadRequest!.FieldViolations.Single().Field, Is.EqualTo("block"));
    }

    [Test]
    public async Task A_committed_tx_comes_back_as_its_bytes_with_receipt_and_decoded_fields()
    {
        var envelope = Envelope("GZ-S-4");
        _api.Submit(envelope);
        _api.Execute = _ => ErrorCode.ContractAlreadyExists;
        var block = _api.CommitPending();

        var tx = await _service.GetTransaction(new V1.GetTransactionRequest { TxId = Id(envelope) }, Context());
        var byHeight = await _service.GetBlock(new V1.GetBlockRequest { Height = 1 }, Context());
        var byHash = await _service.GetBlock(new V1.GetBlockRequest { Hash = byHeight.BlockHash }, Context());

        Assert.That(tx.Envelope.ToByteArray(), Is.EqualTo(envelope));
        Assert.That(tx.Height, Is.EqualTo(1UL));
        Assert.That(tx.BlockHash, Is.EqualTo(byHeight.BlockHash));
        Assert.That(tx.ReceiptCode, Is.EqualTo((uint)ErrorCode.ContractAlreadyExists));
        Assert.That(tx.ReceiptCodeName, Is.EqualTo(nameof(ErrorCode.ContractAlreadyExists)));
        Assert.That(Ledger.Core.Blocks.Receipt.Decode(tx.Receipt.Span).Code, Is.EqualTo(ErrorCode.ContractAlreadyExists));
        Assert.That(tx.Action, Is.EqualTo(V1.ContractAction.Register));
        Assert.That(tx.ContractId, Is.EqualTo("GZ-S-4"));
        Assert.That(byHeight.Block.ToByteArray(), Is.EqualTo(block.Encode()));
        Assert.That(byHash.Block, Is.EqualTo(byHeight.Block));
        Assert.That(byHeight.TransactionCount, Is.EqualTo(1u));
    }

    [Test]
    public async Task GetContract_renders_the_record_and_the_committed_history()
    {
        var envelope = Envelope("GZ-S-5");
        _api.Submit(envelope);
        _api.CommitPending();
        var txId = Sm3.Hash(TxEnvelope.Decode(envelope).BodyBytes.Span);
        _api.Records["GZ-S-5"] = new ContractRecord
        {
            ContractId = "GZ-S-5",
            EmployerCreditCode = TestNetwork.EmployerCreditCode.Value,
            WorkerPseudonym = TestNetwork.WorkerPseudonymValue,
            Status = ContractStatus.Dissolved,
            EvidenceGrade = EvidenceGrade.ElectronicSignature,
            EffectiveVersion = 1,
            ClosedOn = ContractDate.Create(2025, 1, 1),
            ClosureDetail = (uint)DissolutionBasis.Art36Agreement,
            Versions =
            [
                new ContractVersion
                {
                    Number = 1, CreatedBy = ContractAction.Register, DocumentHash = TestContracts.Document("GZ-S-5", 1), DocumentFormat = DocumentFormat.Pdf,
                    Terms = TestContracts.Terms(), EmployerSigned = true, WorkerSigned = true,
                },
            ],
            History =
            [
                new HistoryEntry { Action = ContractAction.Register, Version = 1, TxId = txId, Height = 1, BlockTime = 5, SubmitterKeyId = Network.Employer.Key.PublicKey.Id, SubmitterRole = Role.Employer },
                new HistoryEntry { Action = ContractAction.Dissolve, Version = 1, TxId = txId, Height = 2, BlockTime = 6, SubmitterKeyId = Network.Employer.Key.PublicKey.Id, SubmitterRole = Role.Employer, Detail = (uint)DissolutionBasis.Art36Agreement, EffectiveDate = 20250101 },
            ],
        };

        var response = await _service.GetContract(new V1.GetContractRequest { ContractId = "GZ-S-5" }, Context());

        var record = response.Contract;
        Assert.That(record.Status, Is.EqualTo(V1.ContractStatus.Dissolved));
        Assert.That(record.ClosedOn, Is.EqualTo(20250101u));
        Assert.That(record.ClosureDetailName, Is.EqualTo(nameof(DissolutionBasis.Art36Agreement)));
        Assert.That(record.Versions.Single().Terms.Type, Is.EqualTo(V1.ContractType.FixedTerm));
        Assert.That(record.Versions.Single().Terms.End, Is.EqualTo(20270630u));
        Assert.That(record.Versions.Single().Concluded, Is.True);
        Assert.That(record.History.Select(h => h.Action), Is.EqualTo(new[] { V1.ContractAction.Register, V1.ContractAction.Dissolve }));
        Assert.That(record.History[1].DetailName, Is.EqualTo(nameof(DissolutionBasis.Art36Agreement)));
        Assert.That(record.History[1].SubmitterRole, Is.EqualTo("Employer"));
        Assert.That(response.Transactions.Single().TxId.ToByteArray(), Is.EqualTo(txId.ToArray()));
    }

    [Test]
    public async Task GetEvidence_answers_proof_json_that_verifies_offline()
    {
        var envelope = Envelope("GZ-S-6");
        _api.Submit(envelope);
        _api.CommitPending();

        var response = await _service.GetEvidence(new V1.GetEvidenceRequest { TxId = Id(envelope) }, Context());

        var report = EvidenceVerifier.Verify(EvidenceProof.FromJson(response.ProofJson), Network.Genesis);
        Assert.That(report.Result, Is.EqualTo(ValidationResult.Valid));
        Assert.That(response.Height, Is.EqualTo(1UL));
    }

    [Test]
    public void WaitForCommit_of_a_tx_that_never_commits_is_DEADLINE_EXCEEDED_after_its_timeout()
    {
        var request = new V1.WaitForCommitRequest { TxId = Id(Envelope("GZ-S-7")), TimeoutMs = 50 };

        Assert.That(Refusal(() => _service.WaitForCommit(request, Context())).Status, Is.EqualTo(StatusCode.DeadlineExceeded));
    }

    [Test]
    public void WaitForCommit_stops_at_the_calls_deadline_when_it_is_sooner()
    {
        var request = new V1.WaitForCommitRequest { TxId = Id(Envelope("GZ-S-8")), TimeoutMs = 0 };
        var started = DateTime.UtcNow;

        Assert.That(Refusal(() => _service.WaitForCommit(request, Context(DateTime.UtcNow.AddMilliseconds(100)))).Status, Is.EqualTo(StatusCode.DeadlineExceeded));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(LedgerGrpcService.MaxWait));
    }

    [Test]
    public void WaitForCommit_refuses_a_timeout_above_the_maximum()
    {
        var request = new V1.WaitForCommitRequest { TxId = Id(Envelope("GZ-S-9")), TimeoutMs = (uint)LedgerGrpcService.MaxWait.TotalMilliseconds + 1 };

        Assert.That(Refusal(() => _service.WaitForCommit(request, Context())).BadRequest!.FieldViolations.Single().Field, Is.EqualTo("timeout_ms"));
    }

    [Test]
    public async Task WaitForCommit_completes_when_the_tx_is_committed()
    {
        var envelope = Envelope("GZ-S-10");
        _api.Submit(envelope);
        var waiting = _service.WaitForCommit(new V1.WaitForCommitRequest { TxId = Id(envelope), TimeoutMs = 30_000 }, Context());
        Assert.That(waiting.IsCompleted, Is.False);

        _api.CommitPending();

        var committed = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(committed.TxId, Is.EqualTo(Id(envelope)));
        Assert.That(committed.Height, Is.EqualTo(1UL));
    }

    [Test]
    public async Task WatchBlocks_streams_the_committed_blocks_from_a_height_then_new_ones()
    {
        for (var i = 0; i < 3; i++)
        {
            _api.Submit(Envelope($"GZ-W-{i}", (ulong)i + 1));
            _api.CommitPending();
        }
        using var stop = new CancellationTokenSource();
        var backlogSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = new RecordingStreamWriter(count =>
        {
            if (count == 2) backlogSent.TrySetResult();
            if (count == 3) stop.Cancel();
        });
        var context = new FakeServerCallContext(cancellationToken: stop.Token);
        CallerContext.Set(context, Caller.Of(Network.Validators[0].Certificate));
        var streaming = _service.WatchBlocks(new V1.WatchBlocksRequest { FromHeight = 2 }, writer, context);

        // The stream has sent heights 2 and 3, so it watches for new blocks (it subscribes before reading the backlog).
        await backlogSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _api.Submit(Envelope("GZ-W-3", 9));
        _api.CommitPending();
        try
        {
            await streaming.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        Assert.That(writer.Messages.Select(m => m.Height), Is.EqualTo(new[] { 2UL, 3UL, 4UL }));
        Assert.That(writer.Messages.Select(m => Ledger.Core.Blocks.Block.Decode(m.Block.Span).Header.Height), Is.EqualTo(new[] { 2UL, 3UL, 4UL }));
    }

    private sealed class RecordingStreamWriter(Action<int> written) : IServerStreamWriter<V1.WatchBlocksResponse>
    {
        public List<V1.WatchBlocksResponse> Messages { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(V1.WatchBlocksResponse message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(V1.WatchBlocksResponse message, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Messages.Add(message);
            written(Messages.Count);
            return Task.CompletedTask;
        }
    }
}
