using System.Text;
using Grpc.Core;
using Ledger.Chaincode.State;
using Ledger.Client;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.TestKit.Builders;
using V1 = Ledger.Proto.V1;

namespace Ledger.Node.Tests.Grpc;

/// <summary>
/// The SDK against LedgerGrpcService over real gRPC on 127.0.0.1: a contract's life (register, sign, change,
/// dissolve) submitted with TransactionBuilder, each commit awaited, history read, evidence fetched and verified
/// offline; and every kind of refusal reaching the SDK typed.
/// </summary>
public class LedgerServiceOverGrpcTests
{
    private const string ContractId = "GZ-2024-LIFE-1";
    private static readonly byte[] DocumentV1 = Encoding.UTF8.GetBytes("labour contract GZ-2024-LIFE-1, version 1");
    private static readonly byte[] DocumentV2 = Encoding.UTF8.GetBytes("labour contract GZ-2024-LIFE-1, version 2 (new place of work)");

    private TestNetwork _network = null!;
    private FakeLedgerApi _api = null!;
    private GrpcTestHost _host = null!;
    private LedgerClient _client = null!;
    private readonly List<(ContractAction Action, Hash32 TxId)> _life = [];

    private TestIdentity Worker => _network.Worker;

    [OneTimeSetUp]
    public async Task StartNodeAndLiveAContract()
    {
        _network = TestNetwork.Create(4);
        _api = new FakeLedgerApi(_network);
        _host = await GrpcTestHost.StartAsync(_api, network: _network);
        // A validator's calls: it reads whole blocks and every contract (scopes are tested in AccessOverGrpcTests).
        _client = _host.Connect(new Ledger.Client.Access.CallerIdentity(_network.Validators[0].Certificate, _network.Validators[0].Key));

        var employer = _network.Employer;
        var register = TestContracts.Register(ContractId, Sm3.Hash(DocumentV1));
        var change = new ChangePayload { ContractId = ContractId, BaseVersion = 1, DocumentHash = Sm3.Hash(DocumentV2), DocumentFormat = DocumentFormat.Ofd, Terms = TestContracts.Terms() with { PlaceOfWork = "440104000000" } };
        var steps = new (IContractPayload Payload, Func<TransactionBuilder, TransactionBuilder> Sign)[]
        {
            (register, b => b.SignStatement(employer.Certificate, employer.Key)),
            (new SignPayload { ContractId = ContractId, Version = 1, DocumentHash = Sm3.Hash(DocumentV1) }, b => b.SignStatement(Worker.Certificate, Worker.Key)),
            (change, b => b.SignStatement(employer.Certificate, employer.Key).SignStatement(Worker.Certificate, Worker.Key)),
            (new DissolvePayload { ContractId = ContractId, Version = 2, DocumentHash = Sm3.Hash(DocumentV2), Basis = DissolutionBasis.Art36Agreement, EffectiveDate = ContractDate.Create(2025, 3, 31) },
                b => b.SignStatement(employer.Certificate, employer.Key).SignStatement(Worker.Certificate, Worker.Key)),
        };
        foreach (var (payload, sign) in steps)
        {
            var envelope = sign(new TransactionBuilder(_network.ChainId, payload)).Build(employer.Certificate, employer.Key);
            var txId = await _client.SubmitAsync(envelope);
            Assert.That(txId, Is.EqualTo(envelope.ComputeId(Sm3Hasher.Instance)));
            var waiting = _client.WaitForCommitAsync(txId, TimeSpan.FromSeconds(20));
            _api.CommitPending();
            var committed = await waiting;
            Assert.That(committed.Succeeded, Is.True);
            _life.Add((payload.Action, txId));
        }
        _api.Records[ContractId] = new ContractRecord
        {
            ContractId = ContractId,
            EmployerCreditCode = TestNetwork.EmployerCreditCode.Value,
            WorkerPseudonym = register.WorkerPseudonym,
            Status = ContractStatus.Dissolved,
            EvidenceGrade = EvidenceGrade.ElectronicSignature,
            EffectiveVersion = 2,
            ClosedOn = ContractDate.Create(2025, 3, 31),
            ClosureDetail = (uint)DissolutionBasis.Art36Agreement,
            Versions =
            [
                new ContractVersion { Number = 1, CreatedBy = ContractAction.Register, DocumentHash = register.DocumentHash, DocumentFormat = DocumentFormat.Pdf, Terms = register.Terms, EmployerSigned = true, WorkerSigned = true },
                new ContractVersion { Number = 2, CreatedBy = ContractAction.Change, DocumentHash = change.DocumentHash, DocumentFormat = DocumentFormat.Ofd, Terms = change.Terms, EmployerSigned = true, WorkerSigned = true },
            ],
            History = [],
        };
    }

    [OneTimeTearDown]
    public async Task StopNode()
    {
        _client?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }

    [Test]
    public async Task Chain_info_shows_the_four_committed_blocks()
    {
        var info = await _client.GetChainInfoAsync();

        Assert.That(info.ChainId, Is.EqualTo(_network.ChainId));
        Assert.That(info.Height, Is.GreaterThanOrEqualTo(4UL));
        Assert.That(info.Validators, Is.EqualTo(4));
        Assert.That(info.NodeName, Is.EqualTo("fake-node"));
    }

    [Test]
    public async Task The_contract_history_lists_the_four_actions_in_order()
    {
        var contract = await _client.GetContractAsync(ContractId);

        Assert.That(contract, Is.Not.Null);
        Assert.That(contract!.Record.Status, Is.EqualTo(V1.ContractStatus.Dissolved));
        Assert.That(contract.Record.Versions.Select(v => v.CreatedBy), Is.EqualTo(new[] { V1.ContractAction.Register, V1.ContractAction.Change }));
        Assert.That(contract.History.Select(t => t.TxId), Is.EqualTo(_life.Select(l => l.TxId)));
        Assert.That(contract.History.Select(t => ContractPayloads.Decode(t.Envelope.Body).Action), Is.EqualTo(_life.Select(l => l.Action)));
        Assert.That(contract.History.Select(t => t.Height), Is.Ordered.Ascending);
    }

    [Test]
    public async Task Every_step_has_a_proof_that_verifies_offline_and_fails_with_one_byte_changed()
    {
        foreach (var (action, txId) in _life)
        {
            var proof = await _client.GetEvidenceAsync(txId);
            Assert.That(proof, Is.Not.Null, action.ToString());

            var report = EvidenceVerifier.Verify(proof!, _network.Genesis);
            Assert.That(report.Result, Is.EqualTo(ValidationResult.Valid), $"{action}: {report.Result}");
            Assert.That(report.Action, Is.EqualTo(action));
            Assert.That(report.ContractId, Is.EqualTo(ContractId));

            var header = Convert.FromBase64String(proof!.Header);
            header[^5] ^= 0x20;
            Assert.That(EvidenceVerifier.Verify(proof with { Header = Convert.ToBase64String(header) }, _network.Genesis).IsValid, Is.False, action.ToString());
        }
    }

    [Test]
    public async Task The_registered_document_verifies_against_its_proof_and_a_changed_copy_does_not()
    {
        var proof = (await _client.GetEvidenceAsync(_life[0].TxId))!;
        var altered = (byte[])DocumentV1.Clone();
        altered[0] ^= 0x01;

        Assert.That(EvidenceVerifier.Verify(proof, _network.Genesis, new MemoryStream(DocumentV1)).FileMatches, Is.True);
        Assert.That(EvidenceVerifier.Verify(proof, _network.Genesis, new MemoryStream(altered)).Result.Code, Is.EqualTo(ErrorCode.DocumentHashMismatch));
    }

    [Test]
    public async Task A_document_hash_finds_the_txs_that_anchored_it()
    {
        var found = await _client.FindByDocumentHashAsync(Sm3.Hash(DocumentV1));
        var none = await _client.FindByDocumentHashAsync(Sm3.Hash("never anchored"u8));

        Assert.That(found.Select(t => t.TxId), Is.EqualTo(new[] { _life[0].TxId, _life[1].TxId }));
        Assert.That(none, Is.Empty);
    }

    [Test]
    public async Task Blocks_are_read_by_height_and_by_hash_and_watched_from_a_height()
    {
        var tx = (await _client.GetTransactionAsync(_life[2].TxId))!;
        var byHeight = (await _client.GetBlockAsync(tx.Height))!;
        var byHash = (await _client.GetBlockAsync(tx.BlockHash))!;

        Assert.That(byHash.Encode(), Is.EqualTo(byHeight.Encode()));
        Assert.That(byHeight.Transactions[tx.Index].ToArray(), Is.EqualTo(tx.EnvelopeBytes.ToArray()));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var heights = new List<ulong>();
        await foreach (var block in _client.WatchBlocksAsync(2, stop.Token))
        {
            heights.Add(block.Header.Height);
            if (heights.Count == 3) break;
        }
        Assert.That(heights, Is.EqualTo(new[] { 2UL, 3UL, 4UL }));
    }

    [Test]
    public async Task Unknown_ids_come_back_as_null()
    {
        var unknown = Sm3.Hash("unknown"u8);

        Assert.That(await _client.GetTransactionAsync(unknown), Is.Null);
        Assert.That(await _client.GetEvidenceAsync(unknown), Is.Null);
        Assert.That(await _client.GetBlockAsync(1000), Is.Null);
        Assert.That(await _client.GetBlockAsync(unknown), Is.Null);
        Assert.That(await _client.GetContractAsync("GZ-NOBODY"), Is.Null);
    }

    [Test]
    public async Task A_duplicate_is_refused_as_DuplicateTransaction()
    {
        var tx = (await _client.GetTransactionAsync(_life[0].TxId))!;

        var e = (await Assert.ThrowsAsync<LedgerClientException>(async () => await _client.SubmitAsync(tx.EnvelopeBytes)))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCode.DuplicateTransaction));
        Assert.That(e.Status, Is.EqualTo(StatusCode.AlreadyExists));
    }

    [Test]
    public async Task A_tx_for_another_chain_is_refused_as_WrongChainId()
    {
        var envelope = new TransactionBuilder("another-chain", TestContracts.Register("GZ-OTHER-1")).Build(_network.Employer.Certificate, _network.Employer.Key);

        var e = (await Assert.ThrowsAsync<LedgerClientException>(async () => await _client.SubmitAsync(envelope)))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCode.WrongChainId));
        Assert.That(e.Status, Is.EqualTo(StatusCode.FailedPrecondition));
    }

    [Test]
    public async Task Garbage_and_oversize_requests_are_refused_typed_and_the_node_keeps_serving()
    {
        var garbage = (await Assert.ThrowsAsync<LedgerClientException>(async () => await _client.SubmitAsync(new byte[] { 0x0a, 0xff, 0xff, 0xff })))!;
        var oversize = (await Assert.ThrowsAsync<LedgerClientException>(async () => await _client.SubmitAsync(new byte[300 * 1024])))!;

        Assert.That(garbage.Status, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(garbage.Code, Is.Not.Null);
        Assert.That((int)garbage.Code!.Value, Is.InRange(100, 199));
        Assert.That(oversize.Status, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That((await _client.GetChainInfoAsync()).ChainId, Is.EqualTo(_network.ChainId));
    }

    [Test]
    public async Task Waiting_for_a_tx_that_never_commits_ends_in_DeadlineExceeded()
    {
        var e = (await Assert.ThrowsAsync<LedgerClientException>(async () => await _client.WaitForCommitAsync(Sm3.Hash("never"u8), TimeSpan.FromMilliseconds(200))))!;

        Assert.That(e.Status, Is.EqualTo(StatusCode.DeadlineExceeded));
    }
}
