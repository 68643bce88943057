using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Storage.Tests.Support;

namespace Ledger.Storage.Tests.Blocks;

[TestFixture("memory")]
[TestFixture("litedb")]
public class BlockStoreTests(string engine)
{
    private TempDirectory? _directory;
    private IKeyValueStore _kv = null!;
    private BlockStore _store = null!;

    [SetUp]
    public void Open()
    {
        if (engine == "litedb")
        {
            _directory = new TempDirectory();
            _kv = new LiteDbKeyValueStore(_directory.File("node.db"));
        }
        else
        {
            _kv = new InMemoryKeyValueStore();
        }
        _store = new BlockStore(_kv, TestBlocks.Hasher);
    }

    [TearDown]
    public void Close()
    {
        _kv.Dispose();
        _directory?.Dispose();
    }

    private Block CommitNext(int txCount = 2, Func<Block, StateOverlay, IEnumerable<TxIndexEntry>>? prepare = null)
    {
        var parent = _store.Head is { } head ? _store.GetBlock(head.Height) : null;
        var block = TestBlocks.Next(parent, txCount);
        var state = _store.OpenState();
        var index = prepare?.Invoke(block, state) ?? TestBlocks.Index(block);
        _store.Commit(block, state, index);
        return block;
    }

    [Test]
    public void An_empty_store_has_no_head_no_blocks_and_no_transactions()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_store.Head, Is.Null);
            Assert.That(_store.GetBlock(0), Is.Null);
            Assert.That(_store.GetBlockBytes(0), Is.Null);
            Assert.That(_store.TotalTransactions, Is.Zero);
            Assert.That(_store.FindTransaction(TestBlocks.TxId(0, 0)), Is.Null);
        }
    }

    [Test]
    public void Committing_a_sequence_moves_the_head_and_stores_every_block()
    {
        var blocks = Enumerable.Range(0, 5).Select(i => CommitNext(txCount: i)).ToArray();
        var last = blocks[^1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_store.Head, Is.EqualTo(new ChainHead(4, TestBlocks.HashOf(last), last.Header)));
            Assert.That(_store.TotalTransactions, Is.EqualTo(0 + 1 + 2 + 3 + 4));
            foreach (var block in blocks)
            {
                Assert.That(_store.GetBlockBytes(block.Header.Height), Is.EqualTo(block.Encode()));
                Assert.That(_store.GetBlock(TestBlocks.HashOf(block))?.Encode(), Is.EqualTo(block.Encode()));
                Assert.That(_store.GetBlock(block.Header.Height)!.Commit, Is.EqualTo(block.Commit), "with its certificate");
            }
            Assert.That(_store.GetBlock(5), Is.Null);
            Assert.That(_store.GetBlock(TestBlocks.Hasher.Hash(Bytes.Of(1))), Is.Null);
        }
    }

    [Test]
    public void The_first_block_must_be_height_zero_with_a_zero_parent()
    {
        var atOne = TestBlocks.Next(null, 0, height: 1);
        var withParent = TestBlocks.Next(null, 0, prevHash: TestBlocks.Hasher.Hash(Bytes.Of(1)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Assert.Throws<LedgerException>(() => _store.Commit(atOne, _store.OpenState(), []))!.Message, Does.Contain("height 0"));
            Assert.Throws<LedgerException>(() => _store.Commit(withParent, _store.OpenState(), []));
            Assert.That(_store.Head, Is.Null);
        }
    }

    [Test]
    public void A_block_that_skips_or_repeats_a_height_is_refused()
    {
        var genesis = CommitNext(0);
        var one = CommitNext(1);
        var skip = TestBlocks.Next(one, 0, height: 3);
        var repeat = TestBlocks.Next(genesis, 1); // height 1 again, valid parent
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Assert.Throws<LedgerException>(() => _store.Commit(skip, _store.OpenState(), []))!.Code, Is.EqualTo(ErrorCode.BlockOutOfOrder));
            Assert.That(Assert.Throws<LedgerException>(() => _store.Commit(repeat, _store.OpenState(), TestBlocks.Index(repeat)))!.Message, Does.Contain("does not extend"));
            Assert.That(_store.Head!.Height, Is.EqualTo(1));
        }
    }

    [Test]
    public void A_block_whose_previous_hash_is_not_the_head_is_refused_and_writes_nothing()
    {
        CommitNext(0);
        var fork = TestBlocks.Next(null, 1, height: 1, prevHash: TestBlocks.Hasher.Hash(Bytes.Utf8("another genesis")));
        var state = _store.OpenState();
        state.Put(Bytes.Of(1), Bytes.Of(1));
        var refusal = Assert.Throws<LedgerException>(() => _store.Commit(fork, state, TestBlocks.Index(fork)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusal.Code, Is.EqualTo(ErrorCode.BlockParentMismatch));
            Assert.That(_store.Head!.Height, Is.Zero);
            Assert.That(_store.GetBlock(1), Is.Null);
            Assert.That(_store.FindTransaction(TestBlocks.TxId(1, 0)), Is.Null);
            Assert.That(_store.OpenState().Get(Bytes.Of(1)), Is.Null);
            Assert.That(_store.TotalTransactions, Is.Zero);
        }
    }

    [Test]
    public void A_block_without_a_commit_certificate_is_refused()
    {
        var genesis = TestBlocks.Next(null, 0, certified: false);
        var refusal = Assert.Throws<LedgerException>(() => _store.Commit(genesis, _store.OpenState(), []));
        Assert.That(refusal.Code, Is.EqualTo(ErrorCode.InsufficientSeals));
    }

    [Test]
    public void A_certificate_for_another_block_is_refused()
    {
        var genesis = CommitNext(0);
        var block = TestBlocks.Next(genesis, 0);
        var other = TestBlocks.Next(null, 0, height: 1, prevHash: TestBlocks.Hasher.Hash(Bytes.Utf8("elsewhere")));
        Assume.That(other.Commit!.BlockHash, Is.Not.EqualTo(TestBlocks.HashOf(block)));
        var mismatched = new Block { Header = block.Header, Transactions = block.Transactions, Receipts = block.Receipts, Commit = other.Commit };
        Assert.Throws<LedgerException>(() => _store.Commit(mismatched, _store.OpenState(), []));
        Assert.That(_store.Head!.Height, Is.Zero);
    }

    [Test]
    public void Every_transaction_is_found_by_id_at_its_height_and_index()
    {
        CommitNext(0);
        CommitNext(3);
        CommitNext(2);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_store.FindTransaction(TestBlocks.TxId(1, 2)), Is.EqualTo(new TxLocation(1, 2)));
            Assert.That(_store.FindTransaction(TestBlocks.TxId(2, 0)), Is.EqualTo(new TxLocation(2, 0)));
            Assert.That(_store.FindTransaction(TestBlocks.TxId(2, 2)), Is.Null);
            var location = _store.FindTransaction(TestBlocks.TxId(1, 1))!;
            Assert.That(_store.GetBlock(location.Height)!.Transactions[location.Index].ToArray(), Is.EqualTo(TestBlocks.Tx(1, 1)));
        }
    }

    [Test]
    public void Documents_are_found_with_their_txs_in_commit_order()
    {
        var document = TestBlocks.Hasher.Hash(Bytes.Utf8("contract.pdf"));
        var otherDocument = TestBlocks.Hasher.Hash(Bytes.Utf8("other.pdf"));
        IEnumerable<TxIndexEntry> Anchor(Block block, params int[] indexes) =>
            TestBlocks.Index(block).Select(e => indexes.Contains(e.Index) ? e with { DocumentHash = document } : e with { DocumentHash = otherDocument });
        CommitNext(0);
        CommitNext(4, (b, _) => Anchor(b, 3, 1));
        CommitNext(3, (b, _) => Anchor(b, 2, 0));
        Hash32[] expected = [TestBlocks.TxId(1, 1), TestBlocks.TxId(1, 3), TestBlocks.TxId(2, 0), TestBlocks.TxId(2, 2)];
        Assume.That(expected.Order().ToArray(), Is.Not.EqualTo(expected), "tx id order differs from commit order, so the test can tell them apart");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_store.FindByDocumentHash(document), Is.EqualTo(expected));
            Assert.That(_store.FindByDocumentHash(otherDocument), Has.Count.EqualTo(3));
            Assert.That(_store.FindByDocumentHash(TestBlocks.Hasher.Hash(Bytes.Utf8("never anchored"))), Is.Empty);
        }
    }

    [Test]
    public void A_contracts_transactions_are_listed_in_commit_order_without_contracts_sharing_a_prefix()
    {
        IEnumerable<TxIndexEntry> Contracts(Block block, params string?[] ids) =>
            TestBlocks.Index(block).Select(e => e with { ContractId = ids[e.Index] });
        CommitNext(0);
        CommitNext(3, (b, _) => Contracts(b, "GD-2024-1", "GD-2024-10", null));
        CommitNext(2, (b, _) => Contracts(b, "GD-2024-10", "GD-2024-1"));
        CommitNext(1, (b, _) => Contracts(b, "劳动合同-1"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_store.ContractTransactions("GD-2024-1"), Is.EqualTo(new[] { new TxLocation(1, 0), new TxLocation(2, 1) }));
            Assert.That(_store.ContractTransactions("GD-2024-10"), Is.EqualTo(new[] { new TxLocation(1, 1), new TxLocation(2, 0) }));
            Assert.That(_store.ContractTransactions("劳动合同-1"), Is.EqualTo(new[] { new TxLocation(3, 0) }));
            Assert.That(_store.ContractTransactions("GD-2024"), Is.Empty);
        }
    }

    [Test]
    public void A_contract_id_with_a_nul_character_is_refused()
    {
        CommitNext(0);
        var block = TestBlocks.Next(_store.GetBlock(0), 1);
        var index = TestBlocks.Index(block).Select(e => e with { ContractId = "A\0B" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Assert.Throws<LedgerException>(() => _store.Commit(block, _store.OpenState(), index))!.Code, Is.EqualTo(ErrorCode.InvalidContractId));
            Assert.That(Assert.Throws<LedgerException>(() => _store.ContractTransactions("A\0"))!.Code, Is.EqualTo(ErrorCode.InvalidContractId));
            Assert.That(_store.Head!.Height, Is.Zero);
        }
    }

    [Test]
    public void State_changes_are_committed_with_their_block()
    {
        CommitNext(0, (b, state) =>
        {
            state.Put(Bytes.Of(1), Bytes.Of(10));
            state.Put(Bytes.Of(2), Bytes.Of(20));
            return [];
        });
        Assert.That(_store.OpenState().Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(10)));
        CommitNext(1, (b, state) =>
        {
            var tx = new StateOverlay(state);
            tx.Delete(Bytes.Of(1));
            tx.Put(Bytes.Of(3), Bytes.Of(30));
            tx.MergeInto(state);
            var failed = new StateOverlay(state);
            failed.Put(Bytes.Of(4), Bytes.Of(40));
            failed.Discard();
            return TestBlocks.Index(b);
        });
        var committed = _store.OpenState();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(committed.Get(Bytes.Of(1)), Is.Null);
            Assert.That(committed.Get(Bytes.Of(2)), Is.EqualTo(Bytes.Of(20)));
            Assert.That(committed.Get(Bytes.Of(3)), Is.EqualTo(Bytes.Of(30)));
            Assert.That(committed.Get(Bytes.Of(4)), Is.Null);
            Assert.That(_kv.Get(Bytes.Of('s', 3)), Is.EqualTo(Bytes.Of(30)), "state lives under 's'");
        }
    }

    [Test]
    public void The_state_to_commit_must_be_an_overlay_from_this_store()
    {
        var genesis = TestBlocks.Next(null, 0);
        var child = new StateOverlay(_store.OpenState());
        using var elsewhere = new InMemoryKeyValueStore();
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentException>(() => _store.Commit(genesis, child, []));
            Assert.Throws<ArgumentException>(() => _store.Commit(genesis, new StateOverlay(elsewhere, BlockStoreKeys.StatePrefix), []));
            Assert.That(_store.Head, Is.Null);
        }
    }

    [Test]
    public void Index_entries_must_match_the_receipts_one_for_one()
    {
        CommitNext(0);
        var block = TestBlocks.Next(_store.GetBlock(0), 2);
        var index = TestBlocks.Index(block);
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentException>(() => _store.Commit(block, _store.OpenState(), index.Take(1)));
            Assert.Throws<ArgumentException>(() => _store.Commit(block, _store.OpenState(), [index[0], index[0] with { Index = 1 }]));
            Assert.Throws<ArgumentException>(() => _store.Commit(block, _store.OpenState(), [index[0], index[1] with { Index = 2 }]));
            Assert.That(_store.Head!.Height, Is.Zero);
        }
        _store.Commit(block, _store.OpenState(), index.Reverse());
        Assert.That(_store.FindTransaction(index[1].TxId), Is.EqualTo(new TxLocation(1, 1)), "entries in any order");
    }

    [Test]
    public void A_transaction_already_committed_is_refused_in_a_later_block()
    {
        CommitNext(0);
        var one = CommitNext(1);
        var replay = TestBlocks.Next(one, 1);
        var duplicated = new Block
        {
            Header = replay.Header,
            Transactions = one.Transactions,
            Receipts = one.Receipts,
            Commit = replay.Commit,
        };
        var refusal = Assert.Throws<LedgerException>(() => _store.Commit(duplicated, _store.OpenState(), TestBlocks.Index(one)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusal.Code, Is.EqualTo(ErrorCode.DuplicateTransaction));
            Assert.That(_store.FindTransaction(TestBlocks.TxId(1, 0)), Is.EqualTo(new TxLocation(1, 0)));
            Assert.That(_store.Head!.Height, Is.EqualTo(1));
        }
    }

    [Test]
    public void Readers_on_other_threads_always_find_the_block_the_head_names()
    {
        CommitNext(0);
        var done = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reads = 0;
        using var started = new CountdownEvent(3);
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            var first = true;
            while (Volatile.Read(ref done) == 0)
            {
                var head = _store.Head!;
                var block = _store.GetBlock(head.Height);
                if (block is null || TestBlocks.HashOf(block) != head.Hash) failures.Enqueue($"head {head.Height} not readable");
                else if (block.Transactions.Count > 0 && _store.FindTransaction(block.Receipts[^1].TxId) is null)
                    failures.Enqueue($"a tx of block {head.Height} not indexed");
                Interlocked.Increment(ref reads);
                if (first) started.Signal();
                first = false;
            }
        })).ToArray();
        Assert.That(started.Wait(TimeSpan.FromSeconds(30)), Is.True, "readers started");
        for (var i = 0; i < 60; i++) CommitNext(5);
        Volatile.Write(ref done, 1);
        Task.WaitAll(readers);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty);
            Assert.That(reads, Is.GreaterThan(0));
            Assert.That(_store.Head!.Height, Is.EqualTo(60));
        }
    }
}
