using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Evidence;
using Ledger.Core.Merkle;
using Ledger.Crypto;

namespace Ledger.TestKit.Builders;

/// <summary>
/// Committed blocks as a validator set would make them — real Merkle roots over the encoded envelopes and receipts,
/// a header, a commit certificate sealed by the chosen validators — and the evidence proof of one of their txs.
/// </summary>
public static class TestBlocks
{
    private static readonly Sm3Hasher Hasher = Sm3Hasher.Instance;

    /// <summary>A block of <paramref name="envelopes"/> with these receipts, sealed by <paramref name="sealers"/> (default: a quorum, the first validators).</summary>
    public static Block Build(
        TestNetwork network,
        ulong height,
        IReadOnlyList<ReadOnlyMemory<byte>> envelopes,
        IReadOnlyList<Receipt> receipts,
        Hash32? prevHash = null,
        DateTimeOffset? time = null,
        uint round = 0,
        IEnumerable<int>? sealers = null,
        Hash32? validatorSetHash = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (envelopes.Count != receipts.Count) throw new ArgumentException("one receipt per envelope", nameof(receipts));
        var header = new BlockHeader
        {
            Height = height,
            PrevHash = prevHash ?? Hash32.Zero,
            TxRoot = MerkleTree.Root(Hasher, envelopes.Select(e => MerkleTree.LeafHash(Hasher, e.Span)).ToArray()),
            ReceiptsRoot = MerkleTree.Root(Hasher, receipts.Select(r => MerkleTree.LeafHash(Hasher, r.Encode())).ToArray()),
            StateRoot = Hasher.Hash(BitConverter.GetBytes(height)),
            Timestamp = (time ?? TestNetwork.DefaultBlockTime).ToUnixTimeMilliseconds(),
            Proposer = network.Validators[(int)(height % (ulong)network.Validators.Count)].Certificate.Id,
            Round = round,
            ValidatorSetHash = validatorSetHash ?? network.ValidatorSetHash,
            TxCount = (uint)envelopes.Count,
        };
        var blockHash = header.ComputeHash(Hasher);
        var quorum = ValidatorSet.Quorum(network.Validators.Count);
        var commit = new CommitCertificate
        {
            Height = height,
            Round = round,
            BlockHash = blockHash,
            Seals = network.Seal(height, round, blockHash, sealers ?? Enumerable.Range(0, quorum)),
        };
        return new Block { Header = header, Transactions = envelopes, Receipts = receipts, Commit = commit };
    }

    /// <summary>A block whose txs all succeeded.</summary>
    public static Block Build(TestNetwork network, ulong height, IReadOnlyList<byte[]> envelopes, IEnumerable<int>? sealers = null) =>
        Build(network, height,
            envelopes.Select(e => (ReadOnlyMemory<byte>)e).ToArray(),
            envelopes.Select(e => new Receipt { TxId = Hasher.Hash(Core.Transactions.TxEnvelope.Decode(e).BodyBytes.Span) }).ToArray(),
            sealers: sealers);

    /// <summary>The proof.json of tx <paramref name="index"/> of a committed block, as a node assembles it.</summary>
    public static EvidenceProof Proof(TestNetwork network, Block block, int index)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(block);
        var commit = block.Commit ?? throw new ArgumentException("the block has no commit certificate", nameof(block));
        var txLeaves = block.Transactions.Select(e => MerkleTree.LeafHash(Hasher, e.Span)).ToArray();
        var receiptBytes = block.Receipts.Select(r => r.Encode()).ToArray();
        var receiptLeaves = receiptBytes.Select(r => MerkleTree.LeafHash(Hasher, r)).ToArray();
        var envelope = block.Transactions[index];
        return new EvidenceProof
        {
            ChainId = network.ChainId,
            TxId = Hasher.Hash(Core.Transactions.TxEnvelope.Decode(envelope.Span).BodyBytes.Span).ToHex(),
            Envelope = Convert.ToBase64String(envelope.Span),
            Receipt = Convert.ToBase64String(receiptBytes[index]),
            TxIndex = index,
            TxCount = block.Transactions.Count,
            TxPath = MerkleTree.Prove(Hasher, txLeaves, index).Path.Select(h => h.ToHex()).ToArray(),
            ReceiptPath = MerkleTree.Prove(Hasher, receiptLeaves, index).Path.Select(h => h.ToHex()).ToArray(),
            Header = Convert.ToBase64String(block.Header.Encode()),
            Commit = Convert.ToBase64String(commit.Encode()),
            Validators = network.Validators.Select(v => v.Certificate.ToPem()).ToArray(),
            Intermediates = [network.City.Certificate.ToPem()],
        };
    }
}
