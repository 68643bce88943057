using Ledger.Consensus.Events;
using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Consensus.Signing;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.Tests.StateMachine;

/// <summary>
/// One engine (validator <see cref="Me"/> of four) with recording fakes, in Besu's style: inject messages and timeouts,
/// then assert on what it sent, scheduled, logged and committed.
/// </summary>
internal sealed class EngineHarness
{
    public const string ChainId = "gd-labour-unit";
    public static readonly TimeSpan BaseTimeout = TimeSpan.FromSeconds(1);

    public EngineHarness(Func<FakeKeyRing, int> pickMe, InMemoryWal? wal = null, FakeChain? chain = null, ISigningWatermark? watermark = null, bool holdSigning = false)
    {
        Watermark = watermark ?? new InMemorySigningWatermark();
        HoldSigning = holdSigning;
        Keys = new FakeKeyRing(4);
        View = new ValidatorView(Keys.Validators);
        Me = pickMe(Keys);
        Wal = wal ?? new InMemoryWal();
        Chain = chain ?? new FakeChain("engine-under-test");
        Make = new MessageMaker(Keys, ChainId);
        Restart();
    }

    public FakeKeyRing Keys { get; }
    public ValidatorView View { get; }
    public int Me { get; }
    public InMemoryWal Wal { get; private set; }

    /// <summary>Kept across <see cref="Restart"/> and <see cref="RestoreWithoutWal"/>, as the node's file is.</summary>
    public ISigningWatermark Watermark { get; }

    public bool HoldSigning { get; }
    public FakeChain Chain { get; }
    public MessageMaker Make { get; }
    public RecordingTransport Transport { get; private set; } = new();
    public RecordingTimeouts Timeouts { get; private set; } = new();
    public QbftEngine Engine { get; private set; } = null!;

    /// <summary>A restore from an old backup: the WAL is gone (the watermark is not); a new engine, recorders empty.</summary>
    public void RestoreWithoutWal()
    {
        Wal = new InMemoryWal();
        Restart();
    }

    /// <summary>A new engine over the same WAL and chain, as after a crash; recorders start empty.</summary>
    public void Restart()
    {
        Transport = new RecordingTransport();
        Timeouts = new RecordingTimeouts();
        Engine = new QbftEngine(new ConsensusOptions { ChainId = ChainId, BaseRoundTimeout = BaseTimeout, HoldSigningUntilReleased = HoldSigning }, new ConsensusPorts
        {
            Transport = Transport,
            Timeouts = Timeouts,
            Proposer = Chain,
            ProposalValidator = Chain,
            Committer = Chain,
            Signer = Keys.SignerFor(Keys.Validators[Me]),
            Keys = Keys,
            Wal = Wal,
            Watermark = Watermark,
        });
    }

    /// <summary>The validator index of proposer(height, round) in the harness's four-validator ring.</summary>
    public static int IndexOfProposer(ulong height, uint round)
    {
        var keys = new FakeKeyRing(4);
        return keys.Validators.ToList().IndexOf(new ValidatorView(keys.Validators).Proposer(height, round));
    }

    /// <summary>The validator index of proposer(height, round).</summary>
    public int ProposerOf(ulong height, uint round) => Keys.Validators.ToList().IndexOf(View.Proposer(height, round));

    /// <summary>Validator indices other than mine, optionally excluding more.</summary>
    public int[] Others(params int[] except) => Enumerable.Range(0, 4).Where(i => i != Me && !except.Contains(i)).ToArray();

    public void Start(ulong height = 1) => Engine.Handle(new NewHeight(height));

    public void Receive(SignedMessage message) => Engine.Handle(new MessageReceived(message.Bytes));

    public void Receive(byte[] bytes) => Engine.Handle(new MessageReceived(bytes));

    public void Timeout(ulong height, uint round) => Engine.Handle(new RoundTimeout(height, round));

    public ProposedBlock Block(ulong height, uint round, string author = "peer") => new FakeBlock(height, round, author, Chain.HeadHash, []).ToProposed();

    public List<SignedMessage> Sent(MessageType type) => Transport.OfType(type).ToList();

    public bool SealVerifies(SignedMessage commit) =>
        Keys.Verify(commit.Signer, CommitSeal.SigningMessage(ChainId, commit.Height, commit.Round, commit.Payload.Digest!.Value), commit.Payload.CommitSeal);

    public long Dropped(ErrorCode reason) => Engine.Metrics.Dropped(reason);
}
