using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Genesis;
using Ledger.Crypto;

namespace Ledger.Anchor;

/// <summary>
/// Checks that a height of our chain is covered by a checkpoint on the external chain: the lowest anchored height at
/// or above it, with enough confirmations, equal to our block there — whose commit certificate is checked against
/// genesis with <see cref="EvidenceVerifier"/> — and linked to the height asked about by the blocks' parent hashes.
/// Every refusal is a <see cref="LedgerException"/> with its code.
/// </summary>
public sealed class AnchorVerifier(GenesisDocument genesis, EvmAnchorChain evm, IBlockReader blocks)
{
    private readonly EvidenceVerifier _evidence = new(genesis);

    public async Task<AnchorVerification> VerifyAsync(ulong height, ulong confirmations, CancellationToken cancellationToken = default)
    {
        if (height == 0) throw new LedgerException(ErrorCode.PreGenesisBlock, "height 0 is genesis; nothing is anchored for it");
        var chainId = genesis.ChainId;
        var reported = await evm.GetChainIdAsync().ConfigureAwait(false);
        if (reported != evm.EvmChainId)
            throw new LedgerException(ErrorCode.WrongChainId, $"the EVM node is chain {reported}, not {evm.EvmChainId}");

        var covering = await evm.CoveringHeightAsync(chainId, height).ConfigureAwait(false)
            ?? throw new LedgerException(ErrorCode.CheckpointNotAnchored, $"no checkpoint of chain {chainId} at or above height {height} is anchored in {evm.Contract}");
        var held = await evm.ReadCheckpointAsync(chainId, covering).ConfigureAwait(false)
            ?? throw new LedgerException(ErrorCode.CheckpointNotAnchored, $"the contract names checkpoint {covering} but holds none there");
        var head = await evm.GetHeadAsync().ConfigureAwait(false);
        var depth = head + 1 - held.ExternalBlock;
        if (depth < confirmations)
            throw new LedgerException(ErrorCode.InsufficientConfirmations,
                $"checkpoint {covering} is {depth} external block(s) deep (block {held.ExternalBlock}, head {head}); {confirmations} required");

        // Our certified block at the checkpoint's height, checked against genesis, not against what the node says.
        var anchoredBlock = await Fetch(covering, cancellationToken).ConfigureAwait(false);
        var commit = anchoredBlock.Commit ?? throw new LedgerException(ErrorCode.MissingField, $"our block {covering} has no commit certificate");
        var certified = _evidence.VerifyCertifiedBlock(anchoredBlock.Header, commit, genesis.Validators.Select(v => v.Certificate).ToArray(), [], null,
            out var sealedBy, out var validatorCount);
        if (!certified.IsValid) throw new LedgerException(certified.Code, $"our block {covering} is not certified: {certified.Reason}");
        var ours = Checkpoint.FromHeader(chainId, anchoredBlock.Header, commit, Sm3Hasher.Instance);
        if (ours.BlockHash != held.Checkpoint.BlockHash)
            throw new LedgerException(ErrorCode.CheckpointMismatch,
                $"checkpoint {covering}: the external chain holds block {held.Checkpoint.BlockHash}, our chain has {ours.BlockHash}");
        if (ours.ValidatorSetHash != held.Checkpoint.ValidatorSetHash)
            throw new LedgerException(ErrorCode.CheckpointMismatch,
                $"checkpoint {covering}: the external chain holds validator set {held.Checkpoint.ValidatorSetHash}, our block names {ours.ValidatorSetHash}");

        // Down the parent links to the height asked about: each header must hash to its child's prev_hash.
        var child = anchoredBlock.Header;
        for (var h = covering; h > height; h--)
        {
            var parent = (await Fetch(h - 1, cancellationToken).ConfigureAwait(false)).Header;
            var parentHash = parent.ComputeHash(Sm3Hasher.Instance);
            if (child.PrevHash != parentHash)
                throw new LedgerException(ErrorCode.BlockParentMismatch,
                    $"block {h} names parent {child.PrevHash}, our block {h - 1} hashes to {parentHash}");
            child = parent;
        }

        return new AnchorVerification(height, child.ComputeHash(Sm3Hasher.Instance).ToHex(), covering, ours.BlockHash.ToHex(), held.ExternalBlock,
            held.ExternalTime, depth, sealedBy.Count, validatorCount,
            // Each validator keeps the seals it collected, so another node may hold another quorum for the same block:
            // the block hash is what binds; a differing certificate is reported, not refused.
            ours.CertificateHash == held.Checkpoint.CertificateHash);
    }

    private async Task<Ledger.Client.CertifiedHeader> Fetch(ulong height, CancellationToken cancellationToken) =>
        await blocks.GetHeaderAsync(height, cancellationToken).ConfigureAwait(false)
        ?? throw new LedgerException(ErrorCode.AnchorBlockMissing, $"our node has no block at height {height}");
}
