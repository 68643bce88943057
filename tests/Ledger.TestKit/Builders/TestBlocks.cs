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
        Hash32? validatorSetHash = null,
        (byte[] Key, byte[] Value)? stateEntry = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (envelopes.Count != receipts.Count) throw new ArgumentException("one receipt per envelope", nameof(receipts));
        var header = new BlockHeader
        {
            Height = height,
            PrevHash = prevHash ?? Hash32.Zero,
            TxRoot = MerkleTree.Root(Hasher, envelopes.Select(e => MerkleTree.LeafHash(Hasher, e.Span)).ToArray()),
            ReceiptsRoot = MerkleTree.Root(Hasher, receipts.Select(r => MerkleTree.LeafHash(Hasher, r.Encode())).ToArray()),
            // The empty state, or a state of one entry (a revocation record, say): real roots that proofs can be made under.
            StateRoot = stateEntry is { } entry ? SparseMerkleTree.SingleEntryRoot(Hasher, entry.Key, entry.Value) : SparseMerkleTree.EmptyHash,
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

    /// <summary>
    /// The proof.json of tx <paramref name="index"/> of a committed block, as a node assembles it; the block's state is
    /// empty or the one <paramref name="stateEntry"/> it was built with.
    /// </summary>
    public static EvidenceProof Proof(TestNetwork network, Block block, int index, (byte[] Key, byte[] Value)? stateEntry = null)
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
            Revocations = RevocationStatuses(network, Core.Transactions.TxEnvelope.Decode(envelope.Span), stateEntry),
        };
    }

    /// <summary>
    /// The revocation status of every certificate the tx relies on (each endorsing certificate, then the CAs above it),
    /// under a state that is empty or holds <paramref name="stateEntry"/> alone. Certificates that do not chain to the
    /// network's root are left out: a verifier refuses them before it asks for their status.
    /// </summary>
    public static IReadOnlyList<RevocationProofJson> RevocationStatuses(TestNetwork network, Core.Transactions.TxEnvelope envelope, (byte[] Key, byte[] Value)? stateEntry = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(envelope);
        Crypto.Certificates.CertificateChainValidator trust;
        try
        {
            trust = new Crypto.Certificates.CertificateChainValidator(network.Root.Certificate, [network.City.Certificate], []);
        }
        catch (LedgerException)
        {
            return []; // an impostor network rooted in a city CA: no chain of it holds, so no status is asked for
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var statuses = new List<RevocationProofJson>();
        foreach (var endorsement in envelope.Endorsements.Where(e => !e.Certificate.IsEmpty))
        {
            var certificate = Crypto.Certificates.LedgerCertificate.FromDer(endorsement.Certificate.ToArray());
            if (!trust.TryGetChain(certificate, out var chain).IsValid) continue;
            for (var i = 0; i < chain!.Count - 1; i++)
            {
                var key = Core.Revocation.RevocationKeys.Revoked(chain[i + 1].Id, chain[i].SerialNumberBytes);
                if (!seen.Add(Convert.ToHexStringLower(key))) continue;
                statuses.Add(Status(key, stateEntry));
            }
        }
        return statuses;
    }

    /// <summary>The status of <paramref name="key"/> in a state that is empty or holds one entry: no siblings, the entry's leaf or nothing.</summary>
    public static RevocationProofJson Status(byte[] key, (byte[] Key, byte[] Value)? stateEntry)
    {
        if (stateEntry is not { } entry)
            return new RevocationProofJson { Key = Convert.ToHexStringLower(key), StateProof = new StateProofJson { Siblings = [] } };
        var present = entry.Key.AsSpan().SequenceEqual(key);
        return new RevocationProofJson
        {
            Key = Convert.ToHexStringLower(key),
            Record = present ? Convert.ToBase64String(entry.Value) : null,
            StateProof = new StateProofJson
            {
                Siblings = [],
                LeafKeyHash = SparseMerkleTree.KeyHash(Hasher, entry.Key).ToHex(),
                LeafValueHash = SparseMerkleTree.ValueHash(Hasher, entry.Value).ToHex(),
            },
        };
    }
}
