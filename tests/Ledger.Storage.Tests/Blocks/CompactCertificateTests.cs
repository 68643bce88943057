using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Crypto;
using Ledger.TestKit.Network;

namespace Ledger.Storage.Tests.Blocks;

/// <summary>
/// Blocks are stored with each certificate once ('x' keys) and their txs without them; every read gives the txs byte for
/// byte as committed, and a store written before (blocks whole) reads unchanged and goes on in the new form.
/// </summary>
public class CompactCertificateTests
{
    private static readonly TestConsortium Consortium = new();

    private static IReadOnlyList<ReadOnlyMemory<byte>> SignedTxs(int count, int offset) => Enumerable.Range(offset, count).Select(i =>
    {
        var document = Sm3.Hash(BitConverter.GetBytes(i));
        var payload = i % 2 == 0
            ? (IContractPayload)Consortium.Register($"GZ-COMPACT-{i}", document)
            : new SignPayload { ContractId = $"GZ-COMPACT-{i - 1}", Version = 1, DocumentHash = document };
        return (ReadOnlyMemory<byte>)Consortium.Transaction(payload, Consortium.Employer, i % 2 == 0 ? [Consortium.Employer] : [Consortium.Employer, Consortium.Worker], nonce: (ulong)i + 1).Encode();
    }).ToArray();

    private static Block BlockOf(Block? parent, IReadOnlyList<ReadOnlyMemory<byte>> txs)
    {
        var template = Support.TestBlocks.Next(parent, 0);
        var header = template.Header with { TxCount = (uint)txs.Count };
        var hash = header.ComputeHash(Sm3Hasher.Instance);
        return new Block
        {
            Header = header,
            Transactions = txs,
            Receipts = txs.Select(t => new Receipt { TxId = Sm3Hasher.Instance.Hash(Core.Transactions.TxEnvelope.Decode(t.Span).BodyBytes.Span) }).ToArray(),
            Commit = template.Commit! with { Height = header.Height, BlockHash = hash },
        };
    }

    private static TxIndexEntry[] Index(Block block) => block.Receipts.Select((r, i) => new TxIndexEntry(r.TxId, i, null, null)).ToArray();

    private static long Bytes(IKeyValueStore kv, byte prefix) => kv.Scan([prefix]).Sum(e => (long)e.Key.Length + e.Value.Length);

    [Test]
    public void Certificates_are_stored_once_and_every_read_gives_the_txs_byte_for_byte()
    {
        using var kv = new InMemoryKeyValueStore();
        var store = new BlockStore(kv, Sm3Hasher.Instance);
        var genesis = Support.TestBlocks.Next(null, 0);
        store.Commit(genesis, store.OpenState(), []);
        var block = BlockOf(genesis, SignedTxs(40, 0));
        store.Commit(block, store.OpenState(), Index(block));
        var next = BlockOf(block, SignedTxs(10, 40));
        store.Commit(next, store.OpenState(), Index(next));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(store.GetBlockBytes(1), Is.EqualTo(block.Encode()), "peers are sent the block as committed");
            Assert.That(store.GetBlock(2)!.Transactions.Select(t => t.ToArray()), Is.EqualTo(next.Transactions.Select(t => t.ToArray())));
            Assert.That(store.GetBlock(1)!.Header.ComputeHash(Sm3Hasher.Instance), Is.EqualTo(block.Header.ComputeHash(Sm3Hasher.Instance)));
            // Employer and worker: two certificates for 50 txs, written once (the second block adds none).
            Assert.That(kv.Scan([BlockStoreKeys.Certificate]).Count(), Is.EqualTo(2));
            var whole = block.Encode().Length + next.Encode().Length;
            Assert.That(Bytes(kv, BlockStoreKeys.Block) + Bytes(kv, BlockStoreKeys.Certificate), Is.LessThan(whole / 2), "certificates were most of the bytes");
        }
    }

    [Test]
    public void A_store_written_with_whole_blocks_reads_unchanged_and_continues_in_compact_form()
    {
        using var kv = new InMemoryKeyValueStore();
        var genesis = Support.TestBlocks.Next(null, 0);
        var old = BlockOf(genesis, SignedTxs(6, 0));
        var before = new BlockStore(kv, Sm3Hasher.Instance, compactCertificates: false);
        before.Commit(genesis, before.OpenState(), []);
        before.Commit(old, before.OpenState(), Index(old));
        Assert.That(kv.Scan([BlockStoreKeys.Certificate]), Is.Empty);
        Assert.That(kv.Get(BlockStoreKeys.ForBlock(1)), Is.EqualTo(old.Encode()), "the old form: the block whole");

        var after = new BlockStore(kv, Sm3Hasher.Instance);
        var added = BlockOf(old, SignedTxs(6, 6));
        after.Commit(added, after.OpenState(), Index(added));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after.GetBlockBytes(1), Is.EqualTo(old.Encode()));
            Assert.That(after.GetBlockBytes(2), Is.EqualTo(added.Encode()));
            Assert.That(kv.Get(BlockStoreKeys.ForBlock(2))!.Length, Is.LessThan(added.Encode().Length / 2));
        }
    }

    [Test]
    public void Txs_that_are_not_envelopes_are_stored_as_they_are()
    {
        using var kv = new InMemoryKeyValueStore();
        var store = new BlockStore(kv, Sm3Hasher.Instance);
        var genesis = Support.TestBlocks.Next(null, 0);
        store.Commit(genesis, store.OpenState(), []);
        var opaque = Support.TestBlocks.Next(genesis, 3);
        store.Commit(opaque, store.OpenState(), Support.TestBlocks.Index(opaque));
        Assert.That(kv.Get(BlockStoreKeys.ForBlock(1)), Is.EqualTo(opaque.Encode()));
        Assert.That(store.GetBlockBytes(1), Is.EqualTo(opaque.Encode()));
    }

    [Test]
    public void A_missing_certificate_is_reported_as_corruption_not_a_different_tx()
    {
        using var kv = new InMemoryKeyValueStore();
        var store = new BlockStore(kv, Sm3Hasher.Instance);
        var genesis = Support.TestBlocks.Next(null, 0);
        store.Commit(genesis, store.OpenState(), []);
        var block = BlockOf(genesis, SignedTxs(2, 0));
        store.Commit(block, store.OpenState(), Index(block));
        var batch = new WriteBatch();
        foreach (var (key, _) in kv.Scan([BlockStoreKeys.Certificate])) batch.Delete(key);
        kv.Write(batch);
        var reopened = new BlockStore(kv, Sm3Hasher.Instance); // no certificate remembered from the commit
        var refusal = Assert.Throws<LedgerException>(() => _ = reopened.GetBlock(1)!.Transactions[0]);
        Assert.That(refusal.Code, Is.EqualTo(ErrorCode.StorageCorrupt));
        Assert.That(refusal.Message, Does.Contain("certificate"));
    }

    [Test]
    public void Compact_and_expand_round_trip_a_tx_whose_certificate_appears_twice()
    {
        var envelope = SignedTxs(1, 0)[0]; // the employer's certificate: body and statement endorsements
        var certificates = new Dictionary<Hash32, ReadOnlyMemory<byte>>();
        var compact = StoredTransactions.Compact(envelope, Sm3Hasher.Instance, certificates);
        Assert.That(StoredTransactions.IsCompact(compact.Span), Is.True);
        Assert.That(certificates, Has.Count.EqualTo(1));
        var expanded = StoredTransactions.Expand(compact, id => certificates[id].ToArray());
        Assert.That(expanded.ToArray(), Is.EqualTo(envelope.ToArray()));
        Assert.That(compact.Length, Is.LessThan(envelope.Length - certificates.Values.Single().Length));
    }
}
