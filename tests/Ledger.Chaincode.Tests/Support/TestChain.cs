using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;
using Ledger.Core.Transactions;
using Ledger.Crypto;

namespace Ledger.Chaincode.Tests.Support;

/// <summary>
/// A one-validator chain in miniature: builds the tx as a client would, runs the chaincode on a per-tx overlay and
/// commits it only on success, as the chain does. Every submitted tx is logged so it can be replayed elsewhere.
/// </summary>
public sealed class TestChain
{
    public const string ChainId = "gd-labour-test";

    private readonly LabourContractChaincode _chaincode;
    private ulong _nonce;

    /// <param name="options">The jurisdiction (genesis's chaincode section); the Guangdong preset by default.</param>
    public TestChain(LabourContractOptions? options = null) => _chaincode = new LabourContractChaincode(options ?? LabourContractOptions.Guangdong);

    public InMemoryStateStore State { get; } = new();

    public ulong Height { get; set; } = 1;

    /// <summary>Block time; 2024-06-01 10:00 China Standard Time unless a test moves it.</summary>
    public long BlockTime { get; set; } = At(2024, 6, 1);

    /// <summary>The protocol version the blocks run; the newest unless a test says otherwise.</summary>
    public int ProtocolVersion { get; set; } = Ledger.Core.Governance.ProtocolVersions.Current;

    public List<(TxContext Tx, ExecutionResult Result)> Log { get; } = [];

    public LabourContractChaincode Chaincode => _chaincode;

    /// <summary>Unix ms of 10:00 China Standard Time on that day.</summary>
    public static long At(int year, int month, int day) =>
        new DateTimeOffset(year, month, day, 10, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    public ExecutionResult Submit(IContractPayload payload, SignerIdentity submitter, params SignerIdentity[] statementSigners)
    {
        var encoded = ContractPayloads.CreateBody(payload, ChainId, ++_nonce, BlockTime + 3_600_000, submitter.CertificateId ?? submitter.KeyId).Encode();
        var body = TxBody.Decode(encoded);
        var endorsements = new List<VerifiedEndorsement> { new(submitter, EndorsementScope.Body) };
        endorsements.AddRange(statementSigners.Select(s => new VerifiedEndorsement(s, EndorsementScope.Statement)));
        var tx = new TxContext
        {
            ChainId = ChainId,
            Height = Height++,
            BlockTime = BlockTime,
            TxId = Sm3.Hash(encoded),
            Body = body,
            Submitter = submitter,
            Endorsements = endorsements,
            ProtocolVersion = ProtocolVersion,
        };
        return Execute(tx);
    }

    /// <summary>Runs a tx exactly as given (for replays) on a snapshot committed on success.</summary>
    public ExecutionResult Execute(TxContext tx)
    {
        var snapshot = new OverlayStateStore(State);
        var result = _chaincode.Execute(tx, snapshot);
        if (result.Succeeded) snapshot.Commit();
        Log.Add((tx, result));
        return result;
    }

    public ContractRecord? Find(string id) => ContractStore.Get(State, id);

    public ContractRecord Contract(string id) => Find(id) ?? throw new AssertionException($"no contract {id}");

    public Hash32 StateRoot() => StateRoots.Of(State);

    public ExecutionResult Register(string id, ContractTerms? terms = null) =>
        Submit(Make.Register(id, terms), Parties.EmployerA);

    public ExecutionResult SignLatest(string id, SignerIdentity submitter, params SignerIdentity[] signers)
    {
        var latest = Contract(id).Latest;
        return Submit(Make.Sign(id, latest.Number, latest.DocumentHash), submitter, signers);
    }

    /// <summary>Registers and has both parties sign: a contract in force, version 1.</summary>
    public void RegisterEffective(string id, ContractTerms? terms = null, SignerIdentity? worker = null)
    {
        var signer = worker ?? Parties.Worker1;
        Expect(Submit(Make.Register(id, terms, worker: signer.WorkerPseudonym), Parties.EmployerA));
        Expect(SignLatest(id, Parties.EmployerA, Parties.EmployerA, signer));
    }

    public static void Expect(ExecutionResult result) =>
        Assert.That(result.Code, Is.EqualTo(ErrorCode.Ok), () => $"setup tx refused: {result.Message}");
}
