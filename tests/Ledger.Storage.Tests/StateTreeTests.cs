using Ledger.Core;
using Ledger.Core.Merkle;
using Ledger.Crypto;
using Ledger.Storage.Tests.Support;

namespace Ledger.Storage.Tests;

public class StateTreeTests
{
    private static readonly Sm3Hasher Hasher = Sm3Hasher.Instance;

    private InMemoryKeyValueStore _store = null!;
    private StateTree _tree = null!;

    [SetUp]
    public void CreateStore()
    {
        _store = new InMemoryKeyValueStore();
        _tree = new StateTree(_store, Hasher);
    }

    [TearDown]
    public void DisposeStore() => _store.Dispose();

    /// <summary>The tree's definition, independently: empty → zero, one entry → its leaf, more → split on the next bit.</summary>
    private static Hash32 ReferenceRoot(IReadOnlyDictionary<string, string> state)
    {
        var leaves = state.Select(e => (Key: Hasher.Hash(Bytes.Utf8(e.Key)), Value: Hasher.Hash(Bytes.Utf8(e.Value)))).ToList();
        return Reference(leaves, 0);

        static Hash32 Reference(List<(Hash32 Key, Hash32 Value)> leaves, int depth) => leaves.Count switch
        {
            0 => Hash32.Zero,
            1 => Hasher.Hash(0x00, leaves[0].Key.ToArray(), leaves[0].Value.ToArray()),
            _ => Hasher.Hash(0x01, Reference(leaves.Where(l => l.Key.Bit(depth) == 0).ToList(), depth + 1).ToArray(),
                Reference(leaves.Where(l => l.Key.Bit(depth) == 1).ToList(), depth + 1).ToArray()),
        };
    }

    private Hash32 Apply(Hash32 root, params (string Key, string? Value)[] changes)
    {
        var update = _tree.Update(root, changes.Select(c => new KeyValuePair<byte[], byte[]?>(Bytes.Utf8(c.Key), c.Value is null ? null : Bytes.Utf8(c.Value))));
        var batch = new WriteBatch();
        _tree.Write(update, batch);
        _store.Write(batch);
        return update.Root;
    }

    [Test]
    public void Empty_tree_has_the_zero_root_and_one_entry_is_its_leaf()
    {
        Assert.That(_tree.Update(SparseMerkleTree.EmptyHash, []).Root, Is.EqualTo(Hash32.Zero));
        var root = Apply(SparseMerkleTree.EmptyHash, ("a", "1"));
        Assert.That(root, Is.EqualTo(SparseMerkleTree.SingleEntryRoot(Hasher, Bytes.Utf8("a"), Bytes.Utf8("1"))));
    }

    [Test]
    public void Root_matches_the_definition_whatever_the_order_and_batching_of_updates()
    {
        var random = new Random(12);
        var state = new Dictionary<string, string>();
        var root = SparseMerkleTree.EmptyHash;
        for (var block = 0; block < 60; block++)
        {
            var changes = new Dictionary<string, string?>();
            for (var i = random.Next(1, 12); i > 0; i--)
            {
                var key = $"k{random.Next(80)}";
                var value = random.Next(4) == 0 ? null : $"v{random.Next(1000)}";
                changes[key] = value;
            }
            foreach (var (key, value) in changes)
            {
                if (value is null) state.Remove(key);
                else state[key] = value;
            }
            root = Apply(root, changes.Select(c => (c.Key, c.Value)).ToArray());
            Assert.That(root, Is.EqualTo(ReferenceRoot(state)), $"block {block}");
        }
    }

    [Test]
    public void Deleting_every_entry_gives_back_the_empty_root_and_deleting_an_absent_key_changes_nothing()
    {
        var root = Apply(SparseMerkleTree.EmptyHash, ("a", "1"), ("b", "2"), ("c", "3"));
        Assert.That(Apply(root, ("absent", null)), Is.EqualTo(root));
        root = Apply(root, ("a", null), ("b", null));
        Assert.That(root, Is.EqualTo(ReferenceRoot(new Dictionary<string, string> { ["c"] = "3" })), "the lone leaf is lifted to the root");
        Assert.That(Apply(root, ("c", null)), Is.EqualTo(SparseMerkleTree.EmptyHash));
    }

    [Test]
    public void Proves_presence_and_absence_at_the_current_and_at_an_earlier_root()
    {
        var entries = Enumerable.Range(0, 50).Select(i => ($"key-{i}", (string?)$"value-{i}")).ToArray();
        var old = Apply(SparseMerkleTree.EmptyHash, entries);
        var current = Apply(old, ("key-7", "changed"), ("key-8", null), ("key-new", "x"));

        var (value, proof) = _tree.Prove(current, Bytes.Utf8("key-7"));
        Assert.That(value, Is.EqualTo(Bytes.Utf8("changed")));
        Assert.That(proof.Verify(Hasher, current, Bytes.Utf8("key-7"), value, present: true).IsValid, Is.True);
        Assert.That(proof.Verify(Hasher, current, Bytes.Utf8("key-7"), Bytes.Utf8("value-7"), present: true).Code, Is.EqualTo(ErrorCode.InvalidStateProof));
        Assert.That(proof.Verify(Hasher, old, Bytes.Utf8("key-7"), value, present: true).Code, Is.EqualTo(ErrorCode.InvalidStateProof));

        var (oldValue, oldProof) = _tree.Prove(old, Bytes.Utf8("key-7"));
        Assert.That(oldValue, Is.EqualTo(Bytes.Utf8("value-7")), "an earlier root still answers its own values");
        Assert.That(oldProof.Verify(Hasher, old, Bytes.Utf8("key-7"), oldValue, present: true).IsValid, Is.True);

        foreach (var absent in new[] { "key-8", "never" })
        {
            var (none, absence) = _tree.Prove(current, Bytes.Utf8(absent));
            Assert.That(none, Is.Null);
            Assert.That(absence.Verify(Hasher, current, Bytes.Utf8(absent), default, present: false).IsValid, Is.True, absent);
            Assert.That(absence.Verify(Hasher, current, Bytes.Utf8(absent), Bytes.Utf8("value-8"), present: true).IsValid, Is.False);
        }
        var (_, presentProof) = _tree.Prove(current, Bytes.Utf8("key-9"));
        Assert.That(presentProof.Verify(Hasher, current, Bytes.Utf8("key-9"), default, present: false).Code, Is.EqualTo(ErrorCode.InvalidStateProof),
            "a present key's proof cannot be passed off as absence");
    }

    [Test]
    public void A_tampered_sibling_or_a_leaf_off_the_path_fails()
    {
        var root = Apply(SparseMerkleTree.EmptyHash, Enumerable.Range(0, 20).Select(i => ($"k{i}", (string?)"v")).ToArray());
        var (value, proof) = _tree.Prove(root, Bytes.Utf8("k3"));
        var siblings = proof.Siblings.ToArray();
        siblings[0] = Hasher.Hash("x"u8);
        Assert.That((proof with { Siblings = siblings }).Verify(Hasher, root, Bytes.Utf8("k3"), value, true).IsValid, Is.False);
        Assert.That((proof with { Siblings = proof.Siblings.Skip(1).ToArray() }).Verify(Hasher, root, Bytes.Utf8("k3"), value, true).IsValid, Is.False);

        // Another key's leaf offered as the end of an absence path must lie on the absent key's path.
        var (_, other) = _tree.Prove(root, Bytes.Utf8("k4"));
        Assert.That(other.Verify(Hasher, root, Bytes.Utf8("absent-key"), default, false).IsValid, Is.False);
    }

    [Test]
    public void Nodes_survive_a_reopen_so_nothing_is_rebuilt()
    {
        var root = Apply(SparseMerkleTree.EmptyHash, ("a", "1"), ("b", "2"), ("c", "3"));
        var reopened = new StateTree(_store, Hasher);
        var (value, proof) = reopened.Prove(root, Bytes.Utf8("b"));
        Assert.That(value, Is.EqualTo(Bytes.Utf8("2")));
        Assert.That(proof.Verify(Hasher, root, Bytes.Utf8("b"), value, true).IsValid, Is.True);
        Assert.That(reopened.Update(root, [new(Bytes.Utf8("d"), Bytes.Utf8("4"))]).Root,
            Is.EqualTo(ReferenceRoot(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3", ["d"] = "4" })));
    }

    [Test]
    public void A_missing_node_is_reported_as_corruption()
    {
        var root = Apply(SparseMerkleTree.EmptyHash, ("a", "1"), ("b", "2"));
        var empty = new StateTree(new InMemoryKeyValueStore(), Hasher);
        Assert.That(() => empty.Prove(root, Bytes.Utf8("a")), Throws.TypeOf<LedgerException>().With.Property("Code").EqualTo(ErrorCode.StorageCorrupt));
    }
}
