using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.Tests.Fakes;

/// <summary>
/// A node's chain in miniature: its durable block store, its mempool, and the three block ports. It proposes pending
/// transactions on top of its head, validates a proposal the way a re-executing node would (well formed, hash, height,
/// parent = its head), and refuses to commit anything that does not extend its head. With <see cref="Timing"/> set it
/// keeps proposer-based time as the real chain does: blocks stamped with its <see cref="Clock"/>, after the parent's,
/// and a new proposal prepared only if timely on its clock (a re-proposal keeps its time and is not judged again).
/// </summary>
public sealed class FakeChain : IBlockProposer, IProposalValidator, IBlockCommitter
{
    private readonly List<CommittedBlock> _blocks = [];
    private readonly List<string> _mempool = [];
    private readonly HashSet<string> _included = [];
    private readonly HashSet<string> _pending = [];

    public FakeChain(string author) => Author = author;

    public string Author { get; }

    /// <summary>When false, <see cref="CreateProposal"/> has nothing to offer (returns null).</summary>
    public bool Ready { get; set; } = true;

    public int MaxTxsPerBlock { get; init; } = 8;

    /// <summary>PBTS parameters; null keeps time out of it (every block at time 0).</summary>
    public ProposalTiming? Timing { get; init; }

    /// <summary>This node's clock, in (virtual) ms.</summary>
    public Func<long> Clock { get; init; } = () => 0;

    /// <summary>Proposals validated as re-proposals of a prepared block (their timeliness not judged).</summary>
    public int ReproposalsAccepted { get; private set; }

    public long HeadTime => _blocks.Count == 0 ? long.MinValue : _blocks[^1].Content.Time;

    public IReadOnlyList<CommittedBlock> Blocks => _blocks;

    public ulong Height => (ulong)_blocks.Count;

    public Hash32 HeadHash => _blocks.Count == 0 ? Hash32.Zero : _blocks[^1].Block.Hash;

    public event Action<CommittedBlock>? Committed;

    public void Submit(string tx)
    {
        if (!_included.Contains(tx) && _pending.Add(tx)) _mempool.Add(tx);
    }

    /// <summary>Txs submitted and not yet in a committed block.</summary>
    public int Pending => _pending.Count;

    /// <summary>Whether the tx is in a committed block.</summary>
    public bool Includes(string tx) => _included.Contains(tx);

    public ProposedBlock? CreateProposal(ulong height, uint round)
    {
        if (!Ready || height != Height + 1) return null;
        var now = Timing is null ? 0 : Clock();
        if (Timing is not null && now <= HeadTime) return null; // PBTS: wait until this clock has passed the parent's time
        var txs = _mempool.Where(t => !_included.Contains(t)).Take(MaxTxsPerBlock).ToList();
        return new FakeBlock(height, round, Author, HeadHash, txs, now).ToProposed();
    }

    public ValidationResult Validate(ulong height, uint round, ProposedBlock block, bool reproposal)
    {
        if (FakeBlock.HashOf(block.Bytes) != block.Hash) return ValidationResult.Fail(ErrorCode.InvalidBlockHash, "hash does not match the bytes");
        if (FakeBlock.Parse(block.Bytes) is not { } content) return ValidationResult.Fail(ErrorCode.InvalidFieldValue, "not a block");
        if (content.Height != height) return ValidationResult.Fail(ErrorCode.InvalidFieldValue, $"block for height {content.Height}");
        if (content.Parent != HeadHash) return ValidationResult.Fail(ErrorCode.InvalidBlockHash, "parent is not the head");
        if (Timing is null) return ValidationResult.Valid;
        if (content.Time <= HeadTime) return ValidationResult.Fail(ErrorCode.BlockTimeNotAfterParent, "not after the parent");
        if (reproposal)
        {
            ReproposalsAccepted++;
            return ValidationResult.Valid;
        }
        return Timing.Check(content.Time, Clock());
    }

    public void Commit(ulong height, uint round, ProposedBlock block, CommitCertificate certificate) => Append(height, block, certificate, bySync: false);

    /// <summary>Block sync: the caller has checked the certificate.</summary>
    public void Import(CommittedBlock block) => Append(block.Height, block.Block, block.Certificate, bySync: true);

    private void Append(ulong height, ProposedBlock block, CommitCertificate certificate, bool bySync)
    {
        if (height != Height + 1) throw new InvalidOperationException($"{Author}: commit of height {height} on height {Height}");
        var content = FakeBlock.Parse(block.Bytes) ?? throw new InvalidOperationException($"{Author}: commit of a malformed block");
        if (content.Parent != HeadHash) throw new InvalidOperationException($"{Author}: commit of a block that does not extend the head");
        var committed = new CommittedBlock(height, block, certificate, bySync);
        _blocks.Add(committed);
        foreach (var tx in content.Txs) _included.Add(tx);
        if (content.Txs.Count > 0 && _pending.Overlaps(content.Txs))
        {
            _pending.ExceptWith(content.Txs);
            _mempool.RemoveAll(_included.Contains);
        }
        Committed?.Invoke(committed);
    }
}
