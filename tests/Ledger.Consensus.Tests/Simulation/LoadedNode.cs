using Ledger.Consensus.Events;
using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Validation;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>
/// A validator as one processor with a cost per piece of work (<see cref="ProcessingCost"/>): consensus events (peer
/// messages, timeouts, ticks, block sync) and tx admissions wait in queues and run one at a time, each occupying the
/// processor for what it cost — signatures verified, txs executed, txs admitted. What a piece of work sends leaves when
/// the work is done. Mitigated, consensus work always runs before admission work and the node bounds what it admits;
/// otherwise one FIFO holds both, as one stream's read loop did.
/// </summary>
public sealed class LoadedNode
{
    public const long SyncIntervalMs = 250;
    public const long RateHorizonMs = 60_000;

    private readonly OverloadScenario _scenario;
    private readonly VirtualScheduler _scheduler;
    private readonly OverloadNetwork _network;
    private readonly ISimKeys _keys;
    private readonly string _chainId;
    private readonly Queue<Action> _consensus = new();
    private readonly Queue<Action> _admissions = new();
    private readonly List<Action> _outbox = [];
    private readonly Queue<(long At, int Txs)> _commits = new();
    private bool _busy;
    private double _cost;
    private double _carry;
    private long _lastCommitAt;
    private int _admitting;

    public LoadedNode(int index, IConsensusSigner signer, ISimKeys keys, ConsensusOptions options, OverloadScenario scenario, VirtualScheduler scheduler, OverloadNetwork network)
    {
        Index = index;
        _scenario = scenario;
        _scheduler = scheduler;
        _network = network;
        _keys = keys;
        _chainId = options.ChainId;
        Chain = new FakeChain($"node-{index}") { MaxTxsPerBlock = scenario.MaxTxsPerBlock };
        Chain.Committed += block =>
        {
            _lastCommitAt = scheduler.Now;
            var txs = FakeBlock.Parse(block.Block.Bytes)!.Txs.Count;
            _commits.Enqueue((scheduler.Now, txs));
            network.OnCommitted(block, scheduler.Now);
        };
        Engine = new QbftEngine(options, new ConsensusPorts
        {
            Transport = new Sender(this),
            Timeouts = new Timers(this),
            Proposer = new CostedProposer(this),
            ProposalValidator = new CostedValidator(this),
            Committer = Chain,
            Signer = signer,
            Keys = new CostedKeys(this),
            Wal = new InMemoryWal(),
        });
    }

    public int Index { get; }
    public FakeChain Chain { get; }
    public QbftEngine Engine { get; }

    /// <summary>Gossiped txs dropped because the admission backlog was full (mitigated only).</summary>
    public long GossipDropped { get; private set; }

    /// <summary>Gossiped txs refused because the pool held what the chain commits in its window (mitigated only).</summary>
    public long GossipRefused { get; private set; }

    /// <summary>Virtual ms this node's processor was busy.</summary>
    public double BusyMs { get; private set; }

    public int QueuedAdmissions => _admissions.Count;

    public void Start()
    {
        Consensus(() => Engine.Handle(new NewHeight(Chain.Height + 1)));
        _scheduler.After(SyncIntervalMs, SyncLoop);
        _scheduler.After(_scenario.BlockIntervalMs / 2, TickLoop);
    }

    /// <summary>A client's submission: admitted (queued for admission) or refused with a retry hint when the pool is at its window.</summary>
    public (bool Accepted, long RetryAfterMs) Offer(string tx)
    {
        if (_scenario.Mitigated)
        {
            var capacity = Capacity(fromPeer: false);
            if (Chain.Pending + _admitting >= capacity) return (false, RetryAfterMs(capacity));
        }
        _admitting++;
        Admission(() =>
        {
            _admitting--;
            _cost += _scenario.Cost.AdmitMs;
            if (Chain.Includes(tx)) return;
            Chain.Submit(tx);
            _outbox.Add(() => _network.Gossip(Index, tx));
        });
        return (true, 0);
    }

    public void ReceiveConsensus(byte[] bytes) => Consensus(() => Engine.Handle(new MessageReceived(bytes)));

    public void ReceiveTx(string tx)
    {
        if (_scenario.Mitigated && _admissions.Count >= _scenario.GossipBacklog)
        {
            GossipDropped++;
            return;
        }
        Admission(() =>
        {
            if (_scenario.Mitigated && Chain.Pending >= Capacity(fromPeer: true))
            {
                GossipRefused++;
                return;
            }
            _cost += _scenario.Cost.AdmitMs;
            if (!Chain.Includes(tx)) Chain.Submit(tx);
        });
    }

    /// <summary>Txs per second this node committed over the last minute.</summary>
    public double CommitRate()
    {
        while (_commits.Count > 0 && _scheduler.Now - _commits.Peek().At > RateHorizonMs) _commits.Dequeue();
        var span = Math.Clamp(_scheduler.Now, 1_000, RateHorizonMs) / 1000.0;
        return _commits.Sum(c => c.Txs) / span;
    }

    private int Capacity(bool fromPeer)
    {
        var window = Math.Max(_scenario.MinPending, CommitRate() * _scenario.PoolWindowSeconds);
        return (int)(fromPeer ? window * 2 : window);
    }

    private long RetryAfterMs(int capacity)
    {
        var rate = CommitRate();
        var seconds = rate <= 0 ? 7.5 : (Chain.Pending + _admitting - capacity + 1 + capacity / 10.0) / rate;
        return (long)(Math.Clamp(seconds, 0.25, 30) * 1000);
    }

    private void Consensus(Action work)
    {
        (_scenario.Mitigated ? _consensus : _admissions).Enqueue(work);
        Pump();
    }

    private void Admission(Action work)
    {
        _admissions.Enqueue(work);
        Pump();
    }

    private void Pump()
    {
        if (_busy) return;
        var next = _consensus.Count > 0 ? _consensus.Dequeue() : _admissions.Count > 0 ? _admissions.Dequeue() : null;
        if (next is null) return;
        _busy = true;
        _cost = 0;
        next();
        BusyMs += _cost;
        _carry += _cost;
        var whole = (long)_carry;
        _carry -= whole;
        var sends = _outbox.ToArray();
        _outbox.Clear();
        _scheduler.After(whole, () =>
        {
            _busy = false;
            foreach (var send in sends) send();
            Pump();
        });
    }

    private void TickLoop()
    {
        if (Chain.Pending > 0) Consensus(() => Engine.Handle(new TransactionsAvailable()));
        _scheduler.After(_scenario.BlockIntervalMs / 2, TickLoop);
    }

    private void SyncLoop()
    {
        var best = _network.Nodes.MaxBy(n => n.Chain.Height)!;
        if (best.Chain.Height > Chain.Height) Consensus(() => SyncFrom(best));
        _scheduler.After(SyncIntervalMs, SyncLoop);
    }

    /// <summary>Block sync: certified blocks from the peer, each certificate checked and each block executed (both cost).</summary>
    private void SyncFrom(LoadedNode peer)
    {
        var before = Chain.Height;
        while (Chain.Height < peer.Chain.Height)
        {
            var next = peer.Chain.Blocks[(int)Chain.Height];
            var validators = new ValidatorView(_keys.ValidatorsAt(next.Height));
            if (FakeBlock.HashOf(next.Block.Bytes) != next.Block.Hash || next.Content.Parent != Chain.HeadHash) break;
            if (!CommitCertificateVerifier.Verify(_chainId, next.Certificate, next.Height, next.Block.Hash, validators, new CostedKeys(this)).IsValid) break;
            _cost += _scenario.Cost.ExecuteTxMs * next.Content.Txs.Count;
            Chain.Import(next with { BySync = true });
        }
        if (Chain.Height > before) Engine.Handle(new NewHeight(Chain.Height + 1));
    }

    private sealed class Sender(LoadedNode node) : IConsensusTransport
    {
        public void Broadcast(SignedMessage message)
        {
            var bytes = message.Bytes;
            node._outbox.Add(() => node._network.Broadcast(node.Index, bytes));
        }

        public void Send(Hash32 validator, SignedMessage message)
        {
            var bytes = message.Bytes;
            node._outbox.Add(() => node._network.SendToValidator(node.Index, validator, bytes));
        }
    }

    private sealed class Timers(LoadedNode node) : ITimeoutScheduler
    {
        public void Schedule(ulong height, uint round, TimeSpan after) =>
            node._scheduler.After((long)after.TotalMilliseconds, () => node.Consensus(() => node.Engine.Handle(new RoundTimeout(height, round))));
    }

    private sealed class CostedKeys(LoadedNode node) : IValidatorKeys
    {
        public IReadOnlyList<Hash32> ValidatorsAt(ulong height) => node._keys.ValidatorsAt(height);

        public bool Verify(Hash32 validator, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
        {
            node._cost += node._scenario.Cost.VerifyMs;
            return node._keys.Verify(validator, message, signature);
        }
    }

    /// <summary>Proposes once the block interval has passed since the last commit and txs wait; building executes them.</summary>
    private sealed class CostedProposer(LoadedNode node) : IBlockProposer
    {
        public ProposedBlock? CreateProposal(ulong height, uint round)
        {
            if (node.Chain.Pending == 0 || node._scheduler.Now - node._lastCommitAt < node._scenario.BlockIntervalMs) return null;
            var proposal = node.Chain.CreateProposal(height, round);
            if (proposal is not null) node._cost += node._scenario.Cost.ExecuteTxMs * FakeBlock.Parse(proposal.Bytes)!.Txs.Count;
            return proposal;
        }
    }

    private sealed class CostedValidator(LoadedNode node) : IProposalValidator
    {
        public ValidationResult Validate(ulong height, uint round, ProposedBlock block, bool reproposal)
        {
            node._cost += node._scenario.Cost.ExecuteTxMs * (FakeBlock.Parse(block.Bytes)?.Txs.Count ?? 0);
            return node.Chain.Validate(height, round, block, reproposal);
        }
    }
}
