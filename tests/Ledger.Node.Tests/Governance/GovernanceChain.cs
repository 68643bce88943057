using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Governance;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chain.Revocation;
using Ledger.Chain.Validation;
using Ledger.Chaincode;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Genesis;
using Ledger.Core.Governance;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Storage;
using Ledger.TestKit;
using Ledger.TestKit.Network;

namespace Ledger.Node.Tests.Governance;

/// <summary>
/// A real chain (chaincode, state tree, executor, store) of a test consortium's validators, one block per call, sealed by
/// every validator key the test holds that is in the block's set: for governance tests.
/// </summary>
internal sealed class GovernanceChain
{
    private readonly BlockExecutor _executor;
    private readonly TxAdmission _admission;
    private ulong _nonce = 1;

    /// <param name="genesis">Another genesis for the consortium's keys (e.g. an older protocol version); the consortium's by default.</param>
    public GovernanceChain(TestConsortium consortium, int delay, IKeyValueStore? kv = null, GenesisDocument? genesis = null)
    {
        Consortium = consortium;
        Genesis = genesis ?? consortium.Genesis;
        var genesisBytes = genesis is null ? consortium.GenesisBytes : System.Text.Encoding.UTF8.GetBytes(genesis.ToJson());
        Kv = kv ?? new InMemoryKeyValueStore();
        var hasher = Sm3Hasher.Instance;
        var store = new BlockStore(Kv, hasher);
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var trust = consortium.ChainValidator();
        _admission = new TxAdmission(consortium.ChainId, chaincode, new CertificateRegistry(trust, hasher), hasher, new StoreReplayIndex(store));
        Sets = new ValidatorSets(Genesis, hasher);
        Ledger = new LedgerChain("test", Genesis, genesisBytes, store, _admission, new Mempool(), Sets, hasher, Clock, new ChainMetrics());
        // As a node wires it (NodeRuntime): every CA the chain names is trusted for chain building.
        var governanceTrust = new CertificateChainValidator(consortium.Root.Certificate, [consortium.GuangzhouCa.Certificate, consortium.ShenzhenCa.Certificate], []);
        Ledger.Authorities.Extend(trust);
        Ledger.Authorities.Extend(governanceTrust);
        Governance = new ConsortiumGovernance(Sets, Ledger.Authorities, Ledger.Parameters, governanceTrust, delay, hasher);
        _executor = new BlockExecutor(consortium.ChainId, chaincode, hasher, new CrlPublication(Ledger.Authorities.AllIn), Governance);
    }

    /// <summary>The chain's clock: real time plus what the test advanced it by.</summary>
    public VirtualClock Clock { get; } = new();

    public ConsortiumGovernance Governance { get; }

    public AuthoritySets Authorities => Ledger.Authorities;

    public TestConsortium Consortium { get; }
    public GenesisDocument Genesis { get; }
    public IKeyValueStore Kv { get; }
    public ValidatorSets Sets { get; }
    public LedgerChain Ledger { get; }
    public ulong Height => Ledger.Head.Height;

    /// <summary>Validators whose keys the test holds: every block is sealed by all of them that are in its height's set.</summary>
    public List<TestParty> Keys { get; } = [];

    /// <summary>Commits one block holding whatever is in the pool (possibly nothing), sealed by its set.</summary>
    public void Block()
    {
        var head = Ledger.Head;
        var set = Sets.At(head.Height + 1);
        var executed = _executor.Execute(Ledger.Store, head, Ledger.Pool.Select(100, long.MaxValue), Math.Max(head.Header.Timestamp + 1000, Clock.GetUtcNow().ToUnixTimeMilliseconds()),
            set.Certificates[0].Id, 0, set.Hash);
        var height = executed.Block.Header.Height;
        var seals = Keys.Where(k => set.Find(k.Certificate!.Id) is not null)
            .Select(k => new CommitSeal(k.Certificate!.Id, k.Key.Sign(CommitSeal.SigningMessage(Consortium.ChainId, height, 0, executed.BlockHash)))).ToArray();
        Ledger.Commit(executed, new CommitCertificate { Height = height, Round = 0, BlockHash = executed.BlockHash, Seals = seals });
    }

    /// <summary>
    /// The next block as a validator's <see cref="ProposalBuilder"/> proposes it (the pool's txs within the limits governance
    /// set for the height), sealed and committed; null when the builder proposes nothing.
    /// </summary>
    public Block? ProposeBlock()
    {
        var rules = BlockRules.ForCertifiedBlocks(Consortium.ChainId, Sets, _admission);
        var importer = new BlockImporter(Ledger, _executor, Sm3Hasher.Instance, rules, rules);
        var set = Sets.At(Height + 1);
        var builder = new ProposalBuilder(Ledger, _executor, importer, set.Certificates[0].Id, new ProducerOptions(), Clock, Ledger.Parameters);
        // The builder waits for the height's block interval after the parent's time: on the virtual clock, waiting is a jump.
        var due = Ledger.Head.Header.Timestamp + (long)Ledger.Parameters.ProducerAt(Height + 1).BlockInterval.TotalMilliseconds + 1;
        var now = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (now < due) Clock.Advance(TimeSpan.FromMilliseconds(due - now));
        var executed = builder.Build(Height + 1, 0);
        if (executed is null) return null;
        var height = executed.Block.Header.Height;
        var seals = Keys.Where(k => set.Find(k.Certificate!.Id) is not null)
            .Select(k => new CommitSeal(k.Certificate!.Id, k.Key.Sign(CommitSeal.SigningMessage(Consortium.ChainId, height, 0, executed.BlockHash)))).ToArray();
        Ledger.Commit(executed, new CommitCertificate { Height = height, Round = 0, BlockHash = executed.BlockHash, Seals = seals });
        return executed.Block;
    }

    /// <summary>
    /// Fetches every block of <paramref name="source"/> as a follower node does: each checked as a certified block (a quorum
    /// of its height's set, the set hash, the proposer) and re-executed, which must give exactly its header.
    /// </summary>
    public ValidationResult SyncFrom(GovernanceChain source)
    {
        var rules = BlockRules.ForCertifiedBlocks(Consortium.ChainId, Sets, _admission);
        var importer = new BlockImporter(Ledger, _executor, Sm3Hasher.Instance, rules, rules);
        while (Height < source.Height)
        {
            var imported = importer.Import(source.Ledger.GetBlock(Height + 1)!.Encode());
            if (!imported.IsValid) return imported;
        }
        return ValidationResult.Valid;
    }

    public void BlocksUntil(ulong height)
    {
        while (Height < height) Block();
    }

    /// <summary>Submits, commits a block, and returns the tx id and its receipt.</summary>
    public (Hash32 TxId, Receipt Receipt) Commit(TxBody body, TestParty by)
    {
        var bytes = body.Encode();
        var envelope = new TxEnvelope { BodyBytes = bytes, Endorsements = [new Endorsement { Certificate = by.Certificate!.Der, Signature = by.Key.Sign(bytes), Scope = EndorsementScope.Body }] };
        var submitted = Ledger.Submit(envelope.Encode());
        Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
        Block();
        return (submitted.TxId!.Value, Ledger.GetTransaction(submitted.TxId!.Value)!.Receipt);
    }

    public (Hash32 TxId, Receipt Receipt) Propose(ProposeValidatorChangePayload change, TestParty by) =>
        Commit(change.CreateBody(Consortium.ChainId, _nonce++, Expiry, by.Certificate!.Id), by);

    public (Hash32 TxId, Receipt Receipt) Propose(ProposeParameterChangePayload change, TestParty by) =>
        Commit(change.CreateBody(Consortium.ChainId, _nonce++, Expiry, by.Certificate!.Id), by);

    public (Hash32 TxId, Receipt Receipt) Propose(ProposeAuthorityChangePayload change, TestParty by) =>
        Commit(change.CreateBody(Consortium.ChainId, _nonce++, Expiry, by.Certificate!.Id), by);

    public Receipt Vote(Hash32 proposal, TestParty by, bool approve = true) =>
        Commit(new GovernanceVotePayload { Proposal = proposal, Approve = approve }.CreateBody(Consortium.ChainId, _nonce++, Expiry, by.Certificate!.Id), by).Receipt;

    /// <summary>Proposes with the first validator of the next height's set whose key the test holds, and has the next ones approve until it passes; returns the proposal's id.</summary>
    public Hash32 Pass(ProposeAuthorityChangePayload change) => Pass((nonce, expiry, submitter) => change.CreateBody(Consortium.ChainId, nonce, expiry, submitter));

    /// <inheritdoc cref="Pass(ProposeAuthorityChangePayload)"/>
    public Hash32 Pass(ProposeParameterChangePayload change) => Pass((nonce, expiry, submitter) => change.CreateBody(Consortium.ChainId, nonce, expiry, submitter));

    /// <inheritdoc cref="Pass(ProposeAuthorityChangePayload)"/>
    public Hash32 Pass(ProposeValidatorChangePayload change) => Pass((nonce, expiry, submitter) => change.CreateBody(Consortium.ChainId, nonce, expiry, submitter));

    private Hash32 Pass(Func<ulong, long, Hash32, TxBody> proposal)
    {
        var voters = Keys.Where(k => Sets.At(Height + 1).Find(k.Certificate!.Id) is not null).ToArray();
        var (id, receipt) = Commit(proposal(_nonce++, Expiry, voters[0].Certificate!.Id), voters[0]);
        Assert.That(receipt.Code, Is.EqualTo(ErrorCode.Ok), receipt.Message);
        foreach (var voter in voters.Skip(1))
        {
            if (Proposal(id).Status != ProposalStatus.Open) break;
            var vote = Vote(id, voter);
            Assert.That(vote.Code, Is.EqualTo(ErrorCode.Ok), vote.Message);
        }
        Assert.That(Proposal(id).Status, Is.EqualTo(ProposalStatus.Passed));
        return id;
    }

    /// <summary>A contract tx of the test consortium, submitted with the clock's expiry and committed in a block of its own.</summary>
    public Receipt Commit(TxEnvelope envelope)
    {
        var submitted = Ledger.Submit(envelope.Encode());
        Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
        Block();
        return Ledger.GetTransaction(submitted.TxId!.Value)!.Receipt;
    }

    private long Expiry => Clock.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds();

    public ProposalRecord Proposal(Hash32 id) => ProposalRecord.Decode(Ledger.Store.OpenState().Get(GovernanceKeys.Proposal(id))!);
}

