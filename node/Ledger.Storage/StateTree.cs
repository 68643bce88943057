using System.Buffers.Binary;
using System.Collections.Concurrent;
using Ledger.Core;
using Ledger.Core.Crypto;
using Ledger.Core.Merkle;

namespace Ledger.Storage;

/// <summary>
/// The authenticated world state: the sparse Merkle tree of <see cref="SparseMerkleTree"/> over every state key,
/// persisted node by node under 'n' ‖ node hash. An update visits only the paths of the keys a block changed
/// (about log2(entries) nodes each, shared near the root), and adds a node per visited level; nothing is
/// rebuilt at start. Node records:
/// <list type="bullet">
/// <item>inner: 0x01 ‖ left(32) ‖ right(32)</item>
/// <item>leaf: 0x00 ‖ SM3(key)(32) ‖ SM3(value)(32) ‖ key length(4, big-endian) ‖ key ‖ value — the key and value
/// are kept so a proof at any height can answer the value, not only its hash</item>
/// </list>
/// Safe for concurrent readers; updates come from the one thread that executes blocks.
/// </summary>
public sealed class StateTree(IKeyValueStore store, IHasher hasher, int cacheCapacity = 262_144)
{
    private const byte Inner = 0x01;
    private const byte Leaf = 0x00;
    private const int LeafHeader = 1 + 2 * Hash32.Size + 4;

    private readonly ConcurrentDictionary<Hash32, byte[]> _cache = new();

    private readonly record struct Entry(Hash32 KeyHash, byte[] Key, byte[]? Value);

    /// <summary>A subtree as an update sees it: its hash and, when known, whether it is a leaf.</summary>
    private readonly record struct Ref(Hash32 Hash, bool? IsLeaf);

    /// <summary>
    /// The tree that <paramref name="changes"/> (a value, or null for a delete) make of the tree under
    /// <paramref name="root"/>. Reads nodes, writes none: the new ones are in the answer.
    /// </summary>
    public StateTreeUpdate Update(Hash32 root, IEnumerable<KeyValuePair<byte[], byte[]?>> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var entries = changes.Select(c => new Entry(SparseMerkleTree.KeyHash(hasher, c.Key), c.Key, c.Value)).ToArray();
        Array.Sort(entries, (a, b) => a.KeyHash.CompareTo(b.KeyHash));
        var created = new Dictionary<Hash32, byte[]>();
        var result = entries.Length == 0 ? root : Apply(root, 0, entries, created).Hash;
        return new StateTreeUpdate(root, result, created);
    }

    /// <summary>The value of <paramref name="key"/> in the tree under <paramref name="root"/> (null if absent) and its proof.</summary>
    public (byte[]? Value, StateProof Proof) Prove(Hash32 root, ReadOnlySpan<byte> key)
    {
        var keyHash = SparseMerkleTree.KeyHash(hasher, key);
        var siblings = new List<Hash32>();
        var node = root;
        for (var depth = 0; ; depth++)
        {
            if (node == SparseMerkleTree.EmptyHash) return (null, new StateProof(siblings, null, null));
            var record = Load(node);
            if (record[0] == Leaf)
            {
                var (leafKeyHash, valueHash, _, value) = DecodeLeaf(record);
                return (leafKeyHash == keyHash ? value : null, new StateProof(siblings, leafKeyHash, valueHash));
            }
            if (depth >= SparseMerkleTree.MaxDepth) throw Corrupt(node, "an inner node below the deepest level");
            var (left, right) = DecodeInner(record, node);
            var goRight = keyHash.Bit(depth) == 1;
            siblings.Add(goRight ? left : right);
            node = goRight ? right : left;
        }
    }

    /// <summary>The stored record of the node <paramref name="hash"/>, or null when this store does not hold it.</summary>
    public byte[]? TryLoad(Hash32 hash)
    {
        if (_cache.TryGetValue(hash, out var cached)) return cached;
        return store.Get(BlockStoreKeys.ForStateNode(hash));
    }

    /// <summary>
    /// What a node record says, once its bytes are checked to hash to <paramref name="hash"/>: an inner node's two children,
    /// or a leaf's key and value. A record from anyone (a peer offering a snapshot) is as good as our own once it passes:
    /// the hash commits to every byte, so a tree walked from a certified root this way is that root's tree.
    /// </summary>
    /// <exception cref="LedgerException"><see cref="ErrorCode.StateNodeMismatch"/>: not a node record, or not the one of that hash.</exception>
    public StateNode Check(Hash32 hash, byte[] record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Length == 1 + 2 * Hash32.Size && record[0] == Inner)
        {
            var (left, right) = DecodeInner(record, hash);
            if (SparseMerkleTree.NodeHash(hasher, left, right) != hash) throw Mismatch(hash, "an inner node of other children");
            return new StateNode(hash, record, left, right, null, null);
        }
        if (record.Length >= LeafHeader && record[0] == Leaf)
        {
            var keyLength = BinaryPrimitives.ReadUInt32BigEndian(record.AsSpan(1 + 2 * Hash32.Size));
            if (keyLength > (uint)(record.Length - LeafHeader)) throw Mismatch(hash, "a leaf whose key overruns it");
            var (keyHash, valueHash, key, value) = DecodeLeaf(record);
            if (SparseMerkleTree.KeyHash(hasher, key) != keyHash || SparseMerkleTree.ValueHash(hasher, value) != valueHash
                || SparseMerkleTree.LeafHash(hasher, keyHash, valueHash) != hash)
                throw Mismatch(hash, "a leaf of another key or value");
            return new StateNode(hash, record, default, default, key, value);
        }
        throw Mismatch(hash, "not a node record");
    }

    private static LedgerException Mismatch(Hash32 hash, string what) =>
        new(ErrorCode.StateNodeMismatch, $"the record offered for state-tree node {hash} is not that node: {what}");

    /// <summary>Adds the update's nodes to <paramref name="batch"/> and remembers them.</summary>
    public void Write(StateTreeUpdate update, WriteBatch batch)
    {
        foreach (var (hash, record) in update.Nodes)
        {
            batch.Put(BlockStoreKeys.ForStateNode(hash), record);
            Remember(hash, record);
        }
    }

    private Ref Apply(Hash32 node, int depth, ReadOnlySpan<Entry> entries, Dictionary<Hash32, byte[]> created)
    {
        if (entries.IsEmpty) return new Ref(node, null);
        if (node == SparseMerkleTree.EmptyHash) return Build(depth, Present(entries, null), created);
        var record = Load(node, created);
        if (record[0] == Leaf)
        {
            var (keyHash, _, key, value) = DecodeLeaf(record);
            var replaced = false;
            foreach (var entry in entries) replaced |= entry.KeyHash == keyHash;
            return Build(depth, Present(entries, replaced ? null : new Entry(keyHash, key, value)), created);
        }
        if (depth >= SparseMerkleTree.MaxDepth) throw Corrupt(node, "an inner node below the deepest level");
        var (left, right) = DecodeInner(record, node);
        var split = Split(entries, depth);
        return Combine(Apply(left, depth + 1, entries[..split], created), Apply(right, depth + 1, entries[split..], created), created);
    }

    private Ref Build(int depth, Entry[] leaves, Dictionary<Hash32, byte[]> created)
    {
        if (leaves.Length == 0) return new Ref(SparseMerkleTree.EmptyHash, false);
        if (leaves.Length == 1)
        {
            var leaf = leaves[0];
            var valueHash = SparseMerkleTree.ValueHash(hasher, leaf.Value!);
            var hash = SparseMerkleTree.LeafHash(hasher, leaf.KeyHash, valueHash);
            created[hash] = EncodeLeaf(leaf.KeyHash, valueHash, leaf.Key, leaf.Value!);
            return new Ref(hash, true);
        }
        if (depth >= SparseMerkleTree.MaxDepth) throw new LedgerException(ErrorCode.InvalidFieldValue, "two state keys with the same SM3");
        var split = Split(leaves, depth);
        return Combine(Build(depth + 1, leaves[..split], created), Build(depth + 1, leaves[split..], created), created);
    }

    /// <summary>An empty side lifts a lone leaf on the other up a level; otherwise the two make an inner node.</summary>
    private Ref Combine(Ref left, Ref right, Dictionary<Hash32, byte[]> created)
    {
        var leftEmpty = left.Hash == SparseMerkleTree.EmptyHash;
        var rightEmpty = right.Hash == SparseMerkleTree.EmptyHash;
        if (leftEmpty && rightEmpty) return new Ref(SparseMerkleTree.EmptyHash, false);
        if (leftEmpty && IsLeaf(right, created)) return right;
        if (rightEmpty && IsLeaf(left, created)) return left;
        var hash = SparseMerkleTree.NodeHash(hasher, left.Hash, right.Hash);
        var record = new byte[1 + 2 * Hash32.Size];
        record[0] = Inner;
        left.Hash.CopyTo(record.AsSpan(1));
        right.Hash.CopyTo(record.AsSpan(1 + Hash32.Size));
        created[hash] = record;
        return new Ref(hash, false);
    }

    private bool IsLeaf(Ref node, Dictionary<Hash32, byte[]> created) =>
        node.IsLeaf ?? (node.Hash != SparseMerkleTree.EmptyHash && Load(node.Hash, created)[0] == Leaf);

    /// <summary>The entries that hold a value (deletes dropped), plus <paramref name="kept"/>, in key-hash order.</summary>
    private static Entry[] Present(ReadOnlySpan<Entry> entries, Entry? kept)
    {
        var list = new List<Entry>(entries.Length + 1);
        foreach (var entry in entries)
            if (entry.Value is not null) list.Add(entry);
        if (kept is { } k)
        {
            var at = list.FindIndex(e => e.KeyHash > k.KeyHash);
            list.Insert(at < 0 ? list.Count : at, k);
        }
        return [.. list];
    }

    /// <summary>The first entry whose path turns right at <paramref name="depth"/> (entries sorted by key hash).</summary>
    private static int Split(ReadOnlySpan<Entry> entries, int depth)
    {
        var i = 0;
        while (i < entries.Length && entries[i].KeyHash.Bit(depth) == 0) i++;
        return i;
    }

    private byte[] Load(Hash32 hash, Dictionary<Hash32, byte[]>? created = null)
    {
        if (created is not null && created.TryGetValue(hash, out var fresh)) return fresh;
        if (_cache.TryGetValue(hash, out var cached)) return cached;
        var record = store.Get(BlockStoreKeys.ForStateNode(hash)) ?? throw Corrupt(hash, "a state tree node is missing");
        if (record.Length == 0 || (record[0] == Inner ? record.Length != 1 + 2 * Hash32.Size : record[0] != Leaf || record.Length < LeafHeader))
            throw Corrupt(hash, "a state tree node record is malformed");
        Remember(hash, record);
        return record;
    }

    private void Remember(Hash32 hash, byte[] record)
    {
        if (_cache.Count >= cacheCapacity) _cache.Clear();
        _cache[hash] = record;
    }

    private static (Hash32 Left, Hash32 Right) DecodeInner(byte[] record, Hash32 hash) =>
        (new Hash32(record.AsSpan(1, Hash32.Size)), new Hash32(record.AsSpan(1 + Hash32.Size, Hash32.Size)));

    private static (Hash32 KeyHash, Hash32 ValueHash, byte[] Key, byte[] Value) DecodeLeaf(byte[] record)
    {
        var keyLength = (int)BinaryPrimitives.ReadUInt32BigEndian(record.AsSpan(1 + 2 * Hash32.Size));
        if (keyLength > record.Length - LeafHeader) throw new LedgerException(StorageErrors.Corrupt, "a state tree leaf's key overruns its record");
        return (new Hash32(record.AsSpan(1, Hash32.Size)), new Hash32(record.AsSpan(1 + Hash32.Size, Hash32.Size)),
            record.AsSpan(LeafHeader, keyLength).ToArray(), record.AsSpan(LeafHeader + keyLength).ToArray());
    }

    private static byte[] EncodeLeaf(Hash32 keyHash, Hash32 valueHash, byte[] key, byte[] value)
    {
        var record = new byte[LeafHeader + key.Length + value.Length];
        record[0] = Leaf;
        keyHash.CopyTo(record.AsSpan(1));
        valueHash.CopyTo(record.AsSpan(1 + Hash32.Size));
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(1 + 2 * Hash32.Size), (uint)key.Length);
        key.CopyTo(record.AsSpan(LeafHeader));
        value.CopyTo(record.AsSpan(LeafHeader + key.Length));
        return record;
    }

    private static LedgerException Corrupt(Hash32 hash, string what) => new(StorageErrors.Corrupt, $"{what} ({hash})");
}

/// <summary>A checked state-tree node (<see cref="StateTree.Check"/>): an inner node's children, or a leaf's key and value.</summary>
public sealed record StateNode(Hash32 Hash, byte[] Record, Hash32 Left, Hash32 Right, byte[]? Key, byte[]? Value)
{
    public bool IsLeaf => Key is not null;
}
