using Ledger.Consensus.Events;
using Ledger.Consensus.Ports;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Validation;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>
/// One simulated node: an engine over fake ports, a block store and a WAL that survive a crash, timers on the virtual
/// clock (a crash invalidates them), and a block-sync loop that imports certified blocks from reachable peers.
/// </summary>
public sealed class SimNode
{
    public const long SyncIntervalMs = 250;

    private readonly IConsensusSigner _signer;
    private readonly IValidatorKeys _keys;
    private readonly ConsensusOptions _options;
    private readonly SimNetwork _network;
    private readonly VirtualScheduler _scheduler;
    private int _epoch;

    public SimNode(int index, string name, IConsensusSigner signer, IValidatorKeys keys, ConsensusOptions options, SimNetwork network, VirtualScheduler scheduler,
        ProposalTiming? timing = null, long clockSkewMs = 0)
    {
        Index = index;
        Name = name;
        _signer = signer;
        _keys = keys;
        _options = options;
        _network = network;
        _scheduler = scheduler;
        Chain = new FakeChain(name) { Timing = timing, Clock = () => scheduler.Now + clockSkewMs };
        Chain.Committed += block =>
        {
            Acknowledged.Add(block);
            CommitTimes.Add(scheduler.Now);
        };
    }

    public int Index { get; }
    public string Name { get; }
    public Hash32 Identity => _signer.ValidatorId;
    public FakeChain Chain { get; }
    public InMemoryWal Wal { get; } = new();
    public QbftEngine? Engine { get; private set; }
    public bool Alive { get; private set; }

    /// <summary>Crashed for good (a crash plan without restart): not expected to converge.</summary>
    public bool Retired { get; set; }

    /// <summary>Honest code with its own key: not a twin, not the equivocator. Only these must converge.</summary>
    public bool Honest { get; set; } = true;

    /// <summary>Replaces the transport (a Byzantine behaviour); null for an honest one.</summary>
    public Func<IConsensusTransport>? Transport { get; set; }

    /// <summary>Every block this node reported as committed (by consensus or sync): what a client was told.</summary>
    public List<CommittedBlock> Acknowledged { get; } = [];

    /// <summary>Virtual time of each entry of <see cref="Acknowledged"/>.</summary>
    public List<long> CommitTimes { get; } = [];

    public List<ConsensusMetrics> MetricsPerLife { get; } = [];

    public List<EquivocationEvidence> Evidence { get; } = [];

    public void Start()
    {
        var epoch = ++_epoch;
        Engine = new QbftEngine(_options, new ConsensusPorts
        {
            Transport = Transport?.Invoke() ?? new SimTransport(_network, Index),
            Timeouts = new SimTimeouts(this, _scheduler, epoch),
            Proposer = Chain,
            ProposalValidator = Chain,
            Committer = Chain,
            Signer = _signer,
            Keys = _keys,
            Wal = Wal,
        });
        MetricsPerLife.Add(Engine.Metrics);
        Alive = true;
        Handle(new NewHeight(Chain.Height + 1));
        _scheduler.After(SyncIntervalMs, () => SyncLoop(epoch));
    }

    public void Crash()
    {
        if (Engine is not null) Evidence.AddRange(Engine.Equivocations);
        Alive = false;
        Engine = null;
        _epoch++;
    }

    public void Receive(byte[] bytes) => Handle(new MessageReceived(bytes));

    public void Timeout(ulong height, uint round, int epoch)
    {
        if (epoch == _epoch) Handle(new RoundTimeout(height, round));
    }

    public IReadOnlyList<EquivocationEvidence> AllEvidence() => [.. Evidence, .. Engine?.Equivocations ?? []];

    private void Handle(ConsensusEvent e)
    {
        if (Alive) Engine!.Handle(e);
    }

    private void SyncLoop(int epoch)
    {
        if (epoch != _epoch) return;
        SyncOnce();
        _scheduler.After(SyncIntervalMs, () => SyncLoop(epoch));
    }

    /// <summary>What block sync does: take the next blocks from the best reachable peer, each only with a valid certificate.</summary>
    private void SyncOnce()
    {
        var peer = _network.Nodes.Where(n => n.Alive && n != this && _network.Connected(Index, n.Index)).MaxBy(n => n.Chain.Height);
        if (peer is null || peer.Chain.Height <= Chain.Height) return;
        var before = Chain.Height;
        while (Chain.Height < peer.Chain.Height)
        {
            var next = peer.Chain.Blocks[(int)Chain.Height];
            var validators = new ValidatorView(_keys.ValidatorsAt(next.Height));
            if (FakeBlock.HashOf(next.Block.Bytes) != next.Block.Hash || next.Content.Parent != Chain.HeadHash) break;
            if (!CommitCertificateVerifier.Verify(_options.ChainId, next.Certificate, next.Height, next.Block.Hash, validators, _keys).IsValid) break;
            Chain.Import(next with { BySync = true });
        }
        if (Chain.Height > before) Handle(new NewHeight(Chain.Height + 1));
    }
}
