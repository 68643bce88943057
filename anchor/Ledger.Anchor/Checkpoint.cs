using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Crypto;

namespace Ledger.Anchor;

/// <summary>
/// What is anchored for one height of our chain: enough for anyone holding the external chain to pin the block,
/// the validator set that made it and the exact commit certificate (its SM3 over the certificate's encoding).
/// </summary>
public sealed record Checkpoint(string ChainId, ulong Height, Hash32 BlockHash, Hash32 ValidatorSetHash, Hash32 CertificateHash)
{
    /// <summary>The checkpoint of a certified block; a block without a commit certificate cannot be anchored.</summary>
    public static Checkpoint FromBlock(string chainId, Block block, IHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(hasher);
        var commit = block.Commit ?? throw new LedgerException(ErrorCode.MissingField, $"block {block.Header.Height} has no commit certificate");
        return FromHeader(chainId, block.Header, commit, hasher);
    }

    /// <summary>The checkpoint of a header and its commit certificate (what anyone may fetch from a node).</summary>
    public static Checkpoint FromHeader(string chainId, BlockHeader header, CommitCertificate commit, IHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(hasher);
        return new Checkpoint(chainId, header.Height, header.ComputeHash(hasher), header.ValidatorSetHash, hasher.Hash(commit.Encode()));
    }
}
