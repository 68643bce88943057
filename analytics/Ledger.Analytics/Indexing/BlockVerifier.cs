using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Genesis;
using Ledger.Core.Merkle;
using Ledger.Crypto;

namespace Ledger.Analytics.Indexing;

/// <summary>
/// A block is indexed only if the chain's validators certified it: its commit certificate checked against genesis with
/// the proof verifier's own check (<see cref="EvidenceVerifier.VerifyCertifiedBlock"/>: a quorum of distinct valid
/// seals by the genesis validator set, chained to the genesis root), its txs and receipts equal to the header's roots,
/// and its parent the block indexed before it. Every refusal is a <see cref="LedgerException"/> with its code.
/// </summary>
public sealed class BlockVerifier
{
    private static readonly Sm3Hasher Hasher = Sm3Hasher.Instance;
    private readonly EvidenceVerifier _evidence;
    private readonly string[] _validators;

    public BlockVerifier(GenesisDocument genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        Genesis = genesis;
        _evidence = new EvidenceVerifier(genesis);
        _validators = genesis.Validators.Select(v => v.Certificate).ToArray();
    }

    public GenesisDocument Genesis { get; }

    /// <summary>Checks the block; answers its hash.</summary>
    public Hash32 Verify(Block block, Hash32? parentHash)
    {
        ArgumentNullException.ThrowIfNull(block);
        var header = block.Header;
        var commit = block.Commit ?? throw new LedgerException(ErrorCode.MissingField, $"block {header.Height} has no commit certificate");
        var certified = _evidence.VerifyCertifiedBlock(header, commit, _validators, [], null, out _, out _);
        if (!certified.IsValid) throw new LedgerException(certified.Code, $"block {header.Height} is not certified by the chain's validators: {certified.Reason}");
        if (parentHash is { } parent && header.PrevHash != parent)
            throw new LedgerException(ErrorCode.BlockParentMismatch, $"block {header.Height} names parent {header.PrevHash}, the block indexed before it is {parent}");
        if (block.Transactions.Count != block.Receipts.Count || header.TxCount != block.Transactions.Count)
            throw new LedgerException(ErrorCode.InvalidBlockHash, $"block {header.Height} carries {block.Transactions.Count} txs and {block.Receipts.Count} receipts, its header {header.TxCount}");
        var txRoot = MerkleTree.Root(Hasher, block.Transactions.Select(t => MerkleTree.LeafHash(Hasher, t.Span)).ToArray());
        if (txRoot != header.TxRoot)
            throw new LedgerException(ErrorCode.InvalidBlockHash, $"block {header.Height}: its txs hash to {txRoot}, the certified header says {header.TxRoot}");
        var receiptsRoot = MerkleTree.Root(Hasher, block.Receipts.Select(r => MerkleTree.LeafHash(Hasher, r.Encode())).ToArray());
        if (receiptsRoot != header.ReceiptsRoot)
            throw new LedgerException(ErrorCode.InvalidBlockHash, $"block {header.Height}: its receipts hash to {receiptsRoot}, the certified header says {header.ReceiptsRoot}");
        for (var i = 0; i < block.Receipts.Count; i++)
            if (block.Receipts[i].TxId != Hasher.Hash(Core.Transactions.TxEnvelope.Decode(block.Transactions[i].Span).BodyBytes.Span))
                throw new LedgerException(ErrorCode.InvalidBlockHash, $"block {header.Height}: receipt {i} is not for tx {i}");
        return commit.BlockHash;
    }
}
