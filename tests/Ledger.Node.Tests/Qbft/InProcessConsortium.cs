using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chain.Validation;
using Ledger.Chaincode;
using Ledger.Consensus;
using Ledger.Consensus.Events;
using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Crypto;
using Ledger.Node.Qbft;
using Ledger.Storage;
using Ledger.TestKit;
using Ledger.TestKit.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Node.Tests.Qbft;

/// <summary>
/// N validators in one process, each a full node (own store, pool, admission, chaincode, WAL file, QBFT engine and
/// driver) joined by an in-memory transport that can cut a validator off. Txs are "gossiped" by submitting them
/// to every reachable node.
/// </summary>
public sealed class InProcessConsortium : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Member> _members = [];
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("ledger-qbft-");

    public sealed class Member
    {
        public required LedgerChain Chain { get; init; }
        public required ConsensusDriver Driver { get; init; }
        public required AppendLog Wal { get; init; }
        public required IKeyValueStore Store { get; init; }
        public required Hash32 Id { get; init; }

        /// <summary>Its certificate ids: <see cref="Id"/>, then the next ones it holds for a re-certification.</summary>
        public IReadOnlyList<Hash32> Ids { get; init; } = [];
        public required TimeProvider Clock { get; init; }
        public Task Loop { get; set; } = Task.CompletedTask;
        public bool Isolated { get; set; }
    }

    private sealed class Transport(InProcessConsortium network, Hash32 self) : IConsensusTransport
    {
        public void Broadcast(SignedMessage message)
        {
            foreach (var member in network._members)
                if (member.Id != self) network.Deliver(self, member, message);
        }

        public void Send(Hash32 validator, SignedMessage message)
        {
            foreach (var member in network._members.Where(m => m.Id == validator || m.Ids.Contains(validator))) network.Deliver(self, member, message);
        }
    }

    /// <param name="clockSkews">Per validator (by index), how far its clock is off; none by default.</param>
    /// <param name="next">Per validator (by index), the next identity it holds for a re-certification by governance (a node's nextKey/nextCertificate).</param>
    public InProcessConsortium(TestConsortium consortium, IReadOnlyList<TimeSpan>? clockSkews = null, IReadOnlyDictionary<int, NodeIdentity>? next = null)
    {
        Consortium = consortium;
        var hasher = Sm3Hasher.Instance;
        for (var i = 0; i < consortium.Validators.Count; i++)
        {
            var validator = consortium.Validators[i];
            TimeProvider clock = clockSkews is { } skews && skews[i] != TimeSpan.Zero ? new SkewedClock(skews[i]) : TimeProvider.System;
            var store = new InMemoryKeyValueStore();
            var blocks = new BlockStore(store, hasher);
            var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
            var certificates = new CertificateRegistry(consortium.ChainValidator(), hasher);
            var admission = new TxAdmission(consortium.ChainId, chaincode, certificates, hasher, new StoreReplayIndex(blocks));
            var validators = new Ledger.Chain.Governance.ValidatorSets(consortium.Genesis, hasher);
            var chain = new LedgerChain(validator.Name, consortium.Genesis, consortium.GenesisBytes, blocks, admission, new Mempool(), validators, hasher, clock, new ChainMetrics());
            var identity = new NodeIdentity(validator.Name, validator.Certificate!, validator.Key);
            var identities = new NodeIdentities(identity, next is not null && next.TryGetValue(i, out var successor) ? [successor] : [], validators);
            var keys = new ValidatorKeysAdapter(validators);
            // Governance as a node wires it (NodeRuntime): validator changes voted in take effect in consensus.
            var governanceTrust = consortium.ChainValidator();
            chain.Authorities.Extend(governanceTrust);
            var governance = new Ledger.Chain.Governance.ConsortiumGovernance(validators, chain.Authorities, chain.Parameters, governanceTrust,
                consortium.Genesis.Consensus.GovernanceDelayBlocks, hasher);
            var executor = new BlockExecutor(consortium.ChainId, chaincode, hasher, new Ledger.Chain.Revocation.CrlPublication(chain.Authorities.AllIn), governance);
            var importer = new BlockImporter(chain, executor, hasher,
                BlockRules.ForProposals(validators, hasher, ProposalTiming.From(consortium.Genesis.Consensus), clock, admission, new CrlFileRevocationStatus(certificates)),
                BlockRules.ForCertifiedBlocks(consortium.ChainId, validators, admission));
            var builder = new ProposalBuilder(chain, executor, importer, height => identities.At(height).Certificate.Id,
                new ProducerOptions { BlockInterval = TimeSpan.FromMilliseconds(20), MaxBlockTransactions = 5000, MaxBlockBytes = 8 << 20 }, clock);
            var chainBlocks = new ChainBlocks(builder, importer);
            var wal = new AppendLog(Path.Combine(_directory.FullName, $"wal-{i}.log"));
            var options = new ConsensusOptions { ChainId = consortium.ChainId, BaseRoundTimeout = TimeSpan.FromMilliseconds(400), StartRoundZeroTimerOnActivity = true };
            var self = identity.Certificate.Id;
            var inbox = new ConsensusInbox();
            var driver = new ConsensusDriver(chain, inbox, () => new QbftEngine(options, new ConsensusPorts
            {
                Transport = new Transport(this, self),
                Timeouts = new TimerAdapter(inbox.Enqueue, clock, _stop.Token),
                Proposer = chainBlocks,
                ProposalValidator = chainBlocks,
                Committer = chainBlocks,
                Signer = new SignerAdapter(identities),
                Keys = keys,
                Wal = new WalAdapter(wal),
            }), TimeSpan.FromMilliseconds(20), clock, NullLogger<ConsensusDriver>.Instance);
            _members.Add(new Member { Chain = chain, Driver = driver, Wal = wal, Store = store, Id = self, Ids = identities.All.Select(x => x.Certificate.Id).ToArray(), Clock = clock });
        }
    }

    public TestConsortium Consortium { get; }

    public IReadOnlyList<Member> Members => _members;

    public void Start()
    {
        foreach (var member in _members) member.Loop = Task.Run(() => member.Driver.RunAsync(_stop.Token));
    }

    /// <summary>Submits to every node that is not cut off (as gossip would); true if any admitted it.</summary>
    public bool Submit(byte[] envelope) =>
        _members.Where(m => !m.Isolated).Select(m => m.Chain.Submit(envelope).Accepted).ToArray().Any(a => a);

    public async Task WaitForHeightAsync(ulong height, TimeSpan timeout, IEnumerable<Member>? members = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var watched = (members ?? _members).ToArray();
        while (watched.Any(m => m.Chain.Head.Height < height))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"heights {string.Join(", ", watched.Select(m => m.Chain.Head.Height))}, wanted {height}");
            foreach (var m in watched.Where(m => m.Loop.IsFaulted)) await m.Loop;
            await Task.Delay(20);
        }
    }

    private void Deliver(Hash32 from, Member to, SignedMessage message)
    {
        if (to.Isolated || _members.First(m => m.Id == from).Isolated) return;
        to.Driver.Enqueue(new MessageReceived(message.Bytes));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var member in _members)
        {
            try
            {
                await member.Loop;
            }
            catch (OperationCanceledException)
            {
            }
            member.Wal.Dispose();
            member.Store.Dispose();
        }
        _stop.Dispose();
        _directory.Delete(recursive: true);
    }
}
