using System.Collections.Concurrent;
using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Consensus;
using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Consensus.Validation;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Crypto;

namespace Ledger.Node.Qbft;

/// <summary>
/// Where consensus meets the chain: builds proposals from the pool, checks others' proposals by re-executing them,
/// commits decided blocks, and imports certified blocks fetched by sync. Every block it proposed or validated is
/// kept, executed, until its height is decided, so a commit never executes twice.
/// </summary>
public sealed class ChainBlocks(
    LedgerChain chain,
    BlockExecutor executor,
    TxAdmission admission,
    IValidatorKeys keys,
    Hash32 self,
    IHasher hasher,
    TimeProvider time,
    TimeSpan blockInterval,
    int maxBlockTransactions,
    long maxBlockBytes) : IBlockProposer, IProposalValidator, IBlockCommitter
{
    /// <summary>How far ahead of this node's clock a proposer's timestamp may be.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Hash32, ExecutedBlock> _executed = new();

    public ProposedBlock? CreateProposal(ulong height, uint round)
    {
        var head = chain.Head;
        if (head.Height + 1 != height) return null;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now < head.Header.Timestamp + (long)blockInterval.TotalMilliseconds) return null;
        var candidates = chain.Pool.Select(maxBlockTransactions, maxBlockBytes);
        // An idle chain makes no blocks; once a round has failed, though, an empty block ends the height.
        if (candidates.Count == 0 && round == 0) return null;
        var executed = executor.Execute(chain.Store, head, candidates, Math.Max(now, head.Header.Timestamp + 1), self, round, chain.Validators.Hash);
        _executed[executed.BlockHash] = executed;
        return new ProposedBlock(executed.BlockHash, executed.Block.Encode());
    }

    public ValidationResult Validate(ulong height, uint round, ProposedBlock proposed)
    {
        Block block;
        try
        {
            block = Block.Decode(proposed.Bytes);
        }
        catch (LedgerException e)
        {
            return e.ToResult();
        }
        var header = block.Header;
        var head = chain.Head;
        if (header.ComputeHash(hasher) != proposed.Hash) return ValidationResult.Fail(ErrorCode.InvalidBlockHash, "the proposal's hash is not its header's");
        if (header.Height != height || head.Height + 1 != height)
            return ValidationResult.Fail(ErrorCode.InvalidBlockHash, $"block {header.Height} proposed for height {height}; this node is at {head.Height}");
        if (header.PrevHash != head.Hash) return ValidationResult.Fail(ErrorCode.InvalidBlockHash, "the block does not extend this node's head");
        if (header.ValidatorSetHash != chain.Validators.Hash) return ValidationResult.Fail(ErrorCode.UnknownValidator, "the block names another validator set");
        if (!keys.ValidatorsAt(height).Contains(header.Proposer)) return ValidationResult.Fail(ErrorCode.UnknownValidator, "the block's proposer is not a validator");
        if (header.Round > round) return ValidationResult.Fail(ErrorCode.InvalidFieldValue, $"a round-{header.Round} block proposed in round {round}");
        if (header.Timestamp <= head.Header.Timestamp) return ValidationResult.Fail(ErrorCode.InvalidFieldValue, "the block is not later than its parent");
        if (header.Timestamp > time.GetUtcNow().Add(MaxClockSkew).ToUnixTimeMilliseconds())
            return ValidationResult.Fail(ErrorCode.InvalidFieldValue, "the block's time is ahead of this node's clock");
        if (_executed.ContainsKey(proposed.Hash)) return ValidationResult.Valid;

        var result = Reexecute(block, proposed.Hash, head);
        return result;
    }

    public void Commit(ulong height, uint round, ProposedBlock block, CommitCertificate certificate)
    {
        if (!_executed.TryGetValue(block.Hash, out var executed))
        {
            var check = Validate(height, round, block);
            if (!check.IsValid || !_executed.TryGetValue(block.Hash, out executed))
                throw new LedgerException(check.Code, $"decided block {block.Hash} cannot be executed here: {check.Reason}");
        }
        chain.Commit(executed, certificate);
        _executed.Clear();
    }

    /// <summary>
    /// Imports a block fetched from a peer: its certificate must carry a quorum of valid seals of this chain's
    /// validators, and re-executing its txs must give exactly its header.
    /// </summary>
    public ValidationResult Import(byte[] bytes)
    {
        Block block;
        try
        {
            block = Block.Decode(bytes);
        }
        catch (LedgerException e)
        {
            return e.ToResult();
        }
        var head = chain.Head;
        if (block.Header.Height != head.Height + 1) return ValidationResult.Fail(ErrorCode.InvalidBlockHash, $"block {block.Header.Height} does not follow {head.Height}");
        if (block.Commit is null) return ValidationResult.Fail(ErrorCode.InsufficientSeals, "the block has no commit certificate");
        var hash = block.Header.ComputeHash(hasher);
        var seals = CommitCertificateVerifier.Verify(chain.ChainId, block.Commit, block.Header.Height, hash, new ValidatorView(keys.ValidatorsAt(block.Header.Height)), keys);
        if (!seals.IsValid) return seals;
        if (block.Header.PrevHash != head.Hash) return ValidationResult.Fail(ErrorCode.InvalidBlockHash, "a certified block on another parent: this node's chain has forked");
        var result = Reexecute(block, hash, head);
        if (!result.IsValid) return result;
        chain.Commit(_executed[hash], block.Commit);
        _executed.Clear();
        return ValidationResult.Valid;
    }

    private ValidationResult Reexecute(Block block, Hash32 hash, Storage.ChainHead head)
    {
        var header = block.Header;
        var blockTime = DateTimeOffset.FromUnixTimeMilliseconds(header.Timestamp);
        var admitted = new AdmittedTx[block.Transactions.Count];
        for (var i = 0; i < admitted.Length; i++)
        {
            var check = admission.VerifyForBlock(block.Transactions[i], blockTime);
            if (check.Tx is null) return ValidationResult.Fail(check.Result.Code, $"tx {i} of the block: {check.Result.Reason}");
            admitted[i] = check.Tx;
        }
        var executed = executor.Execute(chain.Store, head, admitted, header.Timestamp, header.Proposer, header.Round, header.ValidatorSetHash);
        if (executed.BlockHash != hash)
            return ValidationResult.Fail(ErrorCode.InvalidBlockHash, "re-executing the block gives another header (roots, receipts or state differ)");
        _executed[hash] = executed;
        return ValidationResult.Valid;
    }
}
