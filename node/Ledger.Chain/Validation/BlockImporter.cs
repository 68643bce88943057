using System.Collections.Concurrent;
using Ledger.Chain.Execution;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Crypto;

namespace Ledger.Chain.Validation;

/// <summary>
/// Where blocks from others enter the chain: a proposal is checked and re-executed before this validator prepares it;
/// a decided block is committed; a certified block fetched by sync is checked and imported. Every block proposed here
/// (<see cref="Remember"/>) or validated is kept, executed, until its height is committed, so a commit never executes
/// twice. Called from the consensus loop only (block sync runs its imports on that loop too).
/// </summary>
public sealed class BlockImporter(LedgerChain chain, BlockExecutor executor, IHasher hasher, BlockRuleSet proposalRules, BlockRuleSet certifiedRules)
{
    private readonly ConcurrentDictionary<Hash32, ExecutedBlock> _executed = new();

    /// <summary>A block this validator built itself (its own proposal).</summary>
    public void Remember(ExecutedBlock executed) => _executed[executed.BlockHash] = executed;

    /// <summary>Whether this validator may prepare the proposal (hash, bytes) for (height, round).</summary>
    public ValidationResult ValidateProposal(ulong height, uint round, Hash32 hash, byte[] bytes, bool reproposal)
    {
        if (!TryDecode(bytes, out var block, out var failure)) return failure;
        var candidate = new BlockCandidate { Block = block!, Hash = hash, Parent = chain.Head, Height = height, Round = round, Reproposal = reproposal };
        var header = proposalRules.Header.Validate(candidate);
        if (!header.IsValid || _executed.ContainsKey(hash)) return header;
        var body = proposalRules.Body.Validate(candidate);
        return body.IsValid ? Reexecute(candidate) : body;
    }

    /// <summary>Commits the block consensus decided, with the certificate it formed; a block not checked here yet is checked as a certified one first.</summary>
    public ValidationResult CommitDecided(Hash32 hash, byte[] bytes, CommitCertificate certificate)
    {
        if (!_executed.TryGetValue(hash, out var executed))
        {
            if (!TryDecode(bytes, out var block, out var failure)) return failure;
            var check = CheckCertified(block!, hash, certificate);
            if (!check.IsValid) return check;
            executed = _executed[hash];
        }
        Commit(executed, certificate);
        return ValidationResult.Valid;
    }

    /// <summary>
    /// Imports a block fetched from a peer: its certificate must carry a quorum of valid seals of this chain's validators,
    /// and re-executing its txs must give exactly its header.
    /// </summary>
    public ValidationResult Import(byte[] bytes)
    {
        if (!TryDecode(bytes, out var block, out var failure)) return failure;
        var hash = block!.Header.ComputeHash(hasher);
        var check = CheckCertified(block, hash, block.Commit);
        if (!check.IsValid) return check;
        Commit(_executed[hash], block.Commit!);
        return ValidationResult.Valid;
    }

    private ValidationResult CheckCertified(Block block, Hash32 hash, CommitCertificate? certificate)
    {
        var candidate = new BlockCandidate
        {
            Block = block,
            Hash = hash,
            Parent = chain.Head,
            Height = chain.Head.Height + 1,
            Round = certificate?.Round ?? 0,
            Certificate = certificate,
        };
        var result = certifiedRules.Validate(candidate);
        return result.IsValid ? Reexecute(candidate) : result;
    }

    private ValidationResult Reexecute(BlockCandidate candidate)
    {
        var header = candidate.Header;
        var verified = candidate.Verified ?? throw new InvalidOperationException("the body rules must include a TransactionsRule");
        var executed = executor.Execute(chain.Store, candidate.Parent, verified, header.Timestamp, header.Proposer, header.Round, header.ValidatorSetHash);
        if (executed.BlockHash != candidate.Hash)
            return ValidationResult.Fail(ErrorCode.ExecutionMismatch, "re-executing the block gives another header (roots, receipts or state differ)");
        _executed[candidate.Hash] = executed;
        return ValidationResult.Valid;
    }

    private void Commit(ExecutedBlock executed, CommitCertificate certificate)
    {
        chain.Commit(executed, certificate);
        _executed.Clear();
    }

    private static bool TryDecode(byte[] bytes, out Block? block, out ValidationResult failure)
    {
        try
        {
            block = Block.Decode(bytes);
            failure = ValidationResult.Valid;
            return true;
        }
        catch (LedgerException e)
        {
            block = null;
            failure = e.ToResult();
            return false;
        }
    }
}
