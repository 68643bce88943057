using System.Buffers.Binary;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Crypto;

namespace Ledger.Storage;

/// <summary>
/// Blocks, their indexes and the world state over one <see cref="IKeyValueStore"/> (layout in
/// <see cref="BlockStoreKeys"/>). A block is committed in one batch — block, indexes, state changes, head —
/// so after a crash the store holds the whole block or none of it. Reads are safe from many threads while
/// one thread commits; a reader may see a new block in the store just before <see cref="Head"/> moves to it.
/// </summary>
public sealed class BlockStore
{
    private readonly IKeyValueStore _store;
    private readonly IHasher _hasher;
    private readonly Lock _commitLock = new();
    private volatile ChainHead? _head;
    private long _totalTransactions;
    private Hash32 _stateRoot;
    private readonly bool _compactCertificates;
    private readonly HashSet<Hash32> _storedCertificates = []; // under _commitLock; a bounded memo of 'x' keys known to be written
    private const int StoredCertificatesMemo = 100_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Hash32, byte[]> _certificateMemo = new(); // certificates read, bounded
    private const int CertificateMemoEntries = 16_384;

    /// <param name="compactCertificates">
    /// Store each tx's certificates once ('x' keys) and the txs without them (<see cref="StoredTransactions"/>); off, blocks are
    /// stored whole as before. Either way every block reads back as committed, so a store may hold both forms.
    /// </param>
    public BlockStore(IKeyValueStore store, IHasher hasher, bool compactCertificates = true)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _hasher = hasher ?? throw new ArgumentNullException(nameof(hasher));
        _compactCertificates = compactCertificates;
        _head = LoadHead();
        var count = _store.Get(BlockStoreKeys.TxCount);
        _totalTransactions = count is null ? 0 : (long)ReadUInt64(count, "the tx count");
        StateTree = new StateTree(store, hasher);
        var root = _store.Get(BlockStoreKeys.StateRoot);
        if (root is null && _head is not null)
            throw new LedgerException(StorageErrors.Corrupt, "the store has blocks but no state tree: it was written before the state tree existed");
        if (root is not null && root.Length != Hash32.Size)
            throw new LedgerException(StorageErrors.Corrupt, $"the stored state root is {root.Length} bytes, not {Hash32.Size}");
        _stateRoot = root is null ? Core.Merkle.SparseMerkleTree.EmptyHash : new Hash32(root);
        var historyFrom = _store.Get(BlockStoreKeys.HistoryFrom);
        HistoryFrom = historyFrom is null ? 0 : ReadUInt64(historyFrom, "the height history starts at");
        var syncing = _store.Get(BlockStoreKeys.StateSync);
        if (syncing is not null && syncing.Length != Hash32.Size)
            throw new LedgerException(StorageErrors.Corrupt, $"the state sync marker is {syncing.Length} bytes, not {Hash32.Size}");
        UnfinishedStateSync = syncing is null ? null : new Hash32(syncing);
    }

    /// <summary>
    /// The first height whose block this store holds after genesis: 0 for a store that committed every block; the join
    /// height for one filled by state sync (<see cref="FinishStateSync"/>), which holds below it only genesis and the
    /// blocks that changed the validator schedule.
    /// </summary>
    public ulong HistoryFrom { get; private set; }

    /// <summary>The state root a state sync into this store was filling when it stopped (null when none is under way).</summary>
    public Hash32? UnfinishedStateSync { get; private set; }

    /// <summary>The authenticated world state: proofs at any committed height, updates for the next block.</summary>
    public StateTree StateTree { get; }

    /// <summary>The root of the state tree over the committed state (the head's state).</summary>
    public Hash32 StateRoot
    {
        get
        {
            lock (_commitLock) return _stateRoot;
        }
    }

    public ChainHead? Head => _head;

    public ulong TotalTransactions => (ulong)Interlocked.Read(ref _totalTransactions);

    /// <summary>The block as committed, encoded (what peers are sent): its txs exactly as admitted.</summary>
    public byte[]? GetBlockBytes(ulong height)
    {
        var stored = _store.Get(BlockStoreKeys.ForBlock(height));
        if (stored is null) return null;
        var block = Block.Decode(stored);
        return block.Transactions.Any(t => StoredTransactions.IsCompact(t.Span)) ? Expand(block).Encode() : stored;
    }

    public Block? GetBlock(ulong height)
    {
        var stored = _store.Get(BlockStoreKeys.ForBlock(height));
        return stored is null ? null : Expand(Block.Decode(stored));
    }

    /// <summary>
    /// The block with its txs' certificates put back as each tx is read (a block stored whole is returned as it is). Certificates
    /// come from a bounded memo before the store: a city's employers sign tx after tx.
    /// </summary>
    private Block Expand(Block stored)
    {
        if (!stored.Transactions.Any(t => StoredTransactions.IsCompact(t.Span))) return stored;
        return new Block
        {
            Header = stored.Header,
            Transactions = new ExpandingTransactions(stored.Transactions, ReadCertificate),
            Receipts = stored.Receipts,
            Commit = stored.Commit,
        };
    }

    private byte[]? ReadCertificate(Hash32 id)
    {
        if (_certificateMemo.TryGetValue(id, out var der)) return der;
        der = _store.Get(BlockStoreKeys.ForCertificate(id));
        if (der is null) return null;
        if (_certificateMemo.Count >= CertificateMemoEntries) _certificateMemo.Clear();
        _certificateMemo[id] = der;
        return der;
    }

    public Block? GetBlock(Hash32 hash)
    {
        var height = _store.Get(BlockStoreKeys.ForBlockHash(hash));
        return height is null ? null : GetBlock(ReadUInt64(height, "a block hash index entry"));
    }

    public TxLocation? FindTransaction(Hash32 txId)
    {
        var location = _store.Get(BlockStoreKeys.ForTransaction(txId));
        return location is null ? null : BlockStoreKeys.DecodeLocation(location);
    }

    /// <summary>The txs that anchored <paramref name="documentHash"/>, in commit order.</summary>
    public IReadOnlyList<Hash32> FindByDocumentHash(Hash32 documentHash)
    {
        var prefix = BlockStoreKeys.DocumentPrefix(documentHash);
        return _store.Scan(prefix)
            .Select(e => (Location: BlockStoreKeys.DecodeLocation(e.Value), TxId: new Hash32(e.Key.AsSpan(prefix.Length))))
            .OrderBy(e => e.Location)
            .Select(e => e.TxId)
            .ToArray();
    }

    private const int BatchEntryBytes = Hash32.Size + 4;

    /// <summary>A sealed batch's documents, one key per bucket they fall in (<see cref="BlockStoreKeys.ForBatchDocuments"/>).</summary>
    private static void IndexBatch(WriteBatch batch, Hash32 sealTxId, IReadOnlyList<Hash32> documents)
    {
        var buckets = new Dictionary<ushort, List<int>>();
        for (var i = 0; i < documents.Count; i++)
        {
            var bucket = BlockStoreKeys.BatchBucket(documents[i]);
            if (!buckets.TryGetValue(bucket, out var leaves)) buckets[bucket] = leaves = [];
            leaves.Add(i);
        }
        foreach (var (bucket, leaves) in buckets)
        {
            var value = new byte[leaves.Count * BatchEntryBytes];
            for (var j = 0; j < leaves.Count; j++)
            {
                documents[leaves[j]].CopyTo(value.AsSpan(j * BatchEntryBytes));
                BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(j * BatchEntryBytes + Hash32.Size), leaves[j]);
            }
            batch.Put(BlockStoreKeys.ForBatchDocuments(bucket, sealTxId), value);
        }
    }

    /// <summary>The sealed paper batches holding <paramref name="documentHash"/>: each seal's tx id and the document's leaf index in its batch.</summary>
    public IReadOnlyList<(Hash32 SealTxId, int LeafIndex)> FindBatchDocument(Hash32 documentHash)
    {
        var prefix = BlockStoreKeys.BatchDocumentPrefix(BlockStoreKeys.BatchBucket(documentHash));
        Span<byte> wanted = stackalloc byte[Hash32.Size];
        documentHash.CopyTo(wanted);
        var found = new List<(Hash32, int)>();
        foreach (var (key, value) in _store.Scan(prefix))
        {
            if (value.Length % BatchEntryBytes != 0 || key.Length != prefix.Length + Hash32.Size)
                throw new LedgerException(StorageErrors.Corrupt, $"a batch index entry is {value.Length} bytes, not a multiple of {BatchEntryBytes}");
            for (var offset = 0; offset < value.Length; offset += BatchEntryBytes)
            {
                if (value.AsSpan(offset, Hash32.Size).SequenceEqual(wanted))
                    found.Add((new Hash32(key.AsSpan(prefix.Length)), BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(offset + Hash32.Size))));
            }
        }
        return found;
    }

    /// <summary>Where a contract's txs are, in commit order (the key order).</summary>
    public IReadOnlyList<TxLocation> ContractTransactions(string contractId)
    {
        var prefix = BlockStoreKeys.ContractPrefix(contractId);
        return _store.Scan(prefix).Select(e => BlockStoreKeys.DecodeLocation(e.Key.AsSpan(prefix.Length))).ToArray();
    }

    /// <summary>Committed state entries whose key starts with <paramref name="prefix"/>, in ascending key order (keys without the store's state prefix).</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> ScanState(ReadOnlySpan<byte> prefix)
    {
        byte[] full = [.. BlockStoreKeys.StatePrefix, .. prefix];
        var strip = BlockStoreKeys.StatePrefix.Length;
        return _store.Scan(full).Select(e => new KeyValuePair<byte[], byte[]>(e.Key[strip..], e.Value));
    }

    /// <summary>A write buffer over the committed world state: the block overlay a block executes on.</summary>
    public StateOverlay OpenState() => new(_store, BlockStoreKeys.StatePrefix);

    /// <summary>
    /// Stores a certified block that extends the head, its indexes and its state changes in one batch.
    /// <paramref name="blockState"/> is the overlay from <see cref="OpenState"/> the block executed on;
    /// <paramref name="index"/> has one entry per tx, its id matching the tx's receipt.
    /// </summary>
    /// <remarks>
    /// <paramref name="tree"/> is the state tree the block's changes make (<see cref="StateTree.Update"/> from
    /// <see cref="StateRoot"/>), computed here when not given; its nodes and root are written in the same batch.
    /// </remarks>
    public void Commit(Block block, StateOverlay blockState, IEnumerable<TxIndexEntry> index, StateTreeUpdate? tree = null)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(blockState);
        ArgumentNullException.ThrowIfNull(index);
        if (!blockState.IsOver(_store, BlockStoreKeys.StatePrefix))
            throw new ArgumentException("the state to commit is an overlay from this store's OpenState()", nameof(blockState));
        var entries = index.OrderBy(e => e.Index).ToArray();
        var header = block.Header;
        var hash = header.ComputeHash(_hasher);

        lock (_commitLock)
        {
            var head = _head;
            CheckExtendsHead(header, head);
            CheckCertificate(block, hash);
            CheckIndex(block, entries);
            tree ??= StateTree.Update(_stateRoot, blockState.Changes);
            if (tree.BaseRoot != _stateRoot)
                throw new ArgumentException($"the state tree update starts from root {tree.BaseRoot}, the committed state's root is {_stateRoot}", nameof(tree));

            var batch = new WriteBatch();
            var newCertificates = PutBlock(batch, block, hash, entries);
            blockState.CopyTo(batch, BlockStoreKeys.StatePrefix);
            StateTree.Write(tree, batch);
            var total = (ulong)Interlocked.Read(ref _totalTransactions) + (ulong)entries.Length;
            PutHead(batch, header, hash, tree.Root, total);

            _store.Write(batch);
            Committed(newCertificates, header, hash, tree.Root, total);
        }
    }

    /// <summary>
    /// Starts (or resumes) filling this store with the state under <paramref name="root"/> from peers: a store holding
    /// genesis alone, whose node then starts from a certified block instead of replaying every block before it. Until
    /// <see cref="FinishStateSync"/> the store is marked, and a node refuses to start on it. A sync toward another root
    /// than the one a stopped sync was filling starts the flat state again (tree nodes are kept: each is named by its hash).
    /// </summary>
    public void BeginStateSync(Hash32 root)
    {
        lock (_commitLock)
        {
            if (_head is { Height: > 0 } head)
                throw new LedgerException(StorageErrors.WrongHeight, $"the store already holds the chain up to height {head.Height}; a state sync fills a store holding genesis only");
            if (UnfinishedStateSync == root) return;
            // The flat state must end up exactly the tree's leaves: whatever a stopped sync toward another root wrote goes.
            var stale = _store.Scan(BlockStoreKeys.StatePrefix).Select(e => e.Key).ToList();
            for (var i = 0; i < stale.Count; i += 10_000)
            {
                var wipe = new WriteBatch();
                foreach (var key in stale.Skip(i).Take(10_000)) wipe.Delete(key);
                if (i + 10_000 >= stale.Count) wipe.Put(BlockStoreKeys.StateSync, root.ToArray());
                _store.Write(wipe);
            }
            if (stale.Count == 0)
            {
                var mark = new WriteBatch();
                mark.Put(BlockStoreKeys.StateSync, root.ToArray());
                _store.Write(mark);
            }
            UnfinishedStateSync = root;
        }
    }

    /// <summary>Writes checked state-tree nodes of the sync under way (<see cref="StateTree.Check"/>), and each leaf's entry in the flat state.</summary>
    public void WriteStateNodes(IReadOnlyCollection<StateNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        lock (_commitLock)
        {
            if (UnfinishedStateSync is null) throw new InvalidOperationException("no state sync is under way (BeginStateSync)");
            var batch = new WriteBatch();
            foreach (var node in nodes)
            {
                batch.Put(BlockStoreKeys.ForStateNode(node.Hash), node.Record);
                if (node.IsLeaf) batch.Put([.. BlockStoreKeys.StatePrefix, .. node.Key!], node.Value!);
            }
            _store.Write(batch);
        }
    }

    /// <summary>
    /// Writes checked state-tree nodes of an older root than the sync's (the path to one key, for a proof citing an older
    /// block): the nodes only, never the flat state, which is the synced root's.
    /// </summary>
    public void WriteProofNodes(IReadOnlyCollection<StateNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        lock (_commitLock)
        {
            if (UnfinishedStateSync is null) throw new InvalidOperationException("no state sync is under way (BeginStateSync)");
            var batch = new WriteBatch();
            foreach (var node in nodes) batch.Put(BlockStoreKeys.ForStateNode(node.Hash), node.Record);
            _store.Write(batch);
        }
    }

    /// <summary>
    /// Stores a certified block below the sync's base without making it the head — one that changed the validator schedule,
    /// which the proofs of later heights cite. Its txs are indexed like any block's.
    /// </summary>
    public void StoreHistoricalBlock(Block block, IEnumerable<TxIndexEntry> index)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(index);
        var entries = index.OrderBy(e => e.Index).ToArray();
        var hash = block.Header.ComputeHash(_hasher);
        lock (_commitLock)
        {
            if (UnfinishedStateSync is null) throw new InvalidOperationException("historical blocks are stored during a state sync");
            if (block.Header.Height == 0) throw new LedgerException(StorageErrors.WrongHeight, "genesis is committed, not stored as history");
            if (_store.Get(BlockStoreKeys.ForBlock(block.Header.Height)) is not null) return;
            CheckCertificate(block, hash);
            CheckIndex(block, entries);
            var batch = new WriteBatch();
            var newCertificates = PutBlock(batch, block, hash, entries);
            _store.Write(batch);
            Remembered(newCertificates);
        }
    }

    /// <summary>
    /// Ends a state sync: <paramref name="block"/> — certified, its state root the one the sync filled, every node of which
    /// the caller has walked into this store — becomes the head, with <paramref name="totalTransactions"/> as the chain's tx
    /// count at it (a peer's figure: a statistic, not evidence). From here the node commits block after block as any node.
    /// </summary>
    public void FinishStateSync(Block block, ulong totalTransactions, IEnumerable<TxIndexEntry> index)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(index);
        var entries = index.OrderBy(e => e.Index).ToArray();
        var header = block.Header;
        var hash = header.ComputeHash(_hasher);
        lock (_commitLock)
        {
            if (UnfinishedStateSync != header.StateRoot)
                throw new InvalidOperationException($"the sync under way fills root {UnfinishedStateSync?.ToString() ?? "(none)"}, block {header.Height} has root {header.StateRoot}");
            if (_head is not { Height: 0 } || header.Height == 0)
                throw new LedgerException(StorageErrors.WrongHeight, $"a state sync ends at a block above genesis on a store holding genesis only (block {header.Height})");
            if (header.StateRoot != Core.Merkle.SparseMerkleTree.EmptyHash && StateTree.TryLoad(header.StateRoot) is null)
                throw new LedgerException(StorageErrors.Corrupt, $"the state tree of block {header.Height} is not in the store");
            CheckCertificate(block, hash);
            CheckIndex(block, entries);
            var batch = new WriteBatch();
            var newCertificates = _store.Get(BlockStoreKeys.ForBlock(header.Height)) is null ? PutBlock(batch, block, hash, entries) : [];
            PutHead(batch, header, hash, header.StateRoot, totalTransactions);
            batch.Put(BlockStoreKeys.HistoryFrom, BlockStoreKeys.Height(header.Height));
            batch.Delete(BlockStoreKeys.StateSync);
            _store.Write(batch);
            Committed(newCertificates, header, hash, header.StateRoot, totalTransactions);
            HistoryFrom = header.Height;
            UnfinishedStateSync = null;
        }
    }

    /// <summary>The block (in stored form) and its indexes, into <paramref name="batch"/>; answers the certificates it adds.</summary>
    private List<Hash32> PutBlock(WriteBatch batch, Block block, Hash32 hash, TxIndexEntry[] entries)
    {
        var header = block.Header;
        var newCertificates = new List<Hash32>();
        batch.Put(BlockStoreKeys.ForBlock(header.Height), StoredForm(block, batch, newCertificates).Encode());
        batch.Put(BlockStoreKeys.ForBlockHash(hash), BlockStoreKeys.Height(header.Height));
        foreach (var entry in entries)
        {
            var location = BlockStoreKeys.Location(header.Height, entry.Index);
            batch.Put(BlockStoreKeys.ForTransaction(entry.TxId), location);
            if (entry.DocumentHash is { } document)
                batch.Put(BlockStoreKeys.ForDocument(document, entry.TxId), location);
            if (entry.ContractId is { } contract)
                batch.Put(BlockStoreKeys.ForContract(contract, header.Height, entry.Index), entry.TxId.ToArray());
            if (entry.BatchDocuments is { } documents) IndexBatch(batch, entry.TxId, documents);
        }
        return newCertificates;
    }

    private static void PutHead(WriteBatch batch, BlockHeader header, Hash32 hash, Hash32 root, ulong total)
    {
        batch.Put(BlockStoreKeys.StateRoot, root.ToArray());
        var headValue = new byte[8 + Hash32.Size];
        BinaryPrimitives.WriteUInt64BigEndian(headValue, header.Height);
        hash.CopyTo(headValue.AsSpan(8));
        batch.Put(BlockStoreKeys.Head, headValue);
        batch.Put(BlockStoreKeys.TxCount, BlockStoreKeys.Height(total));
    }

    /// <summary>After the batch is durable: the memos and the head move to it.</summary>
    private void Committed(List<Hash32> newCertificates, BlockHeader header, Hash32 hash, Hash32 root, ulong total)
    {
        Remembered(newCertificates);
        Interlocked.Exchange(ref _totalTransactions, (long)total);
        _stateRoot = root;
        _head = new ChainHead(header.Height, hash, header);
    }

    private void Remembered(List<Hash32> newCertificates)
    {
        if (_storedCertificates.Count + newCertificates.Count > StoredCertificatesMemo) _storedCertificates.Clear();
        _storedCertificates.UnionWith(newCertificates);
    }

    /// <summary>
    /// The block as stored: with compaction on, each tx without its certificates, and the certificates not yet in the store
    /// put into <paramref name="batch"/> (so a block and the certificates it needs commit together).
    /// </summary>
    private Block StoredForm(Block block, WriteBatch batch, List<Hash32> newCertificates)
    {
        if (!_compactCertificates || block.Transactions.Count == 0) return block;
        var certificates = new Dictionary<Hash32, ReadOnlyMemory<byte>>();
        var txs = block.Transactions.Select(t => StoredTransactions.Compact(t, _hasher, certificates)).ToArray();
        foreach (var (id, der) in certificates)
        {
            if (_certificateMemo.Count < CertificateMemoEntries) _certificateMemo.TryAdd(id, der.ToArray());
            if (_storedCertificates.Contains(id)) continue;
            var key = BlockStoreKeys.ForCertificate(id);
            if (_store.Get(key) is null) batch.Put(key, der.Span);
            newCertificates.Add(id);
        }
        return new Block { Header = block.Header, Transactions = txs, Receipts = block.Receipts, Commit = block.Commit };
    }

    private static void CheckExtendsHead(BlockHeader header, ChainHead? head)
    {
        if (head is null)
        {
            if (header.Height != 0)
                throw new LedgerException(StorageErrors.WrongHeight, $"the store is empty: the first block is height 0, not {header.Height}");
            if (!header.PrevHash.IsZero)
                throw new LedgerException(StorageErrors.WrongParent, "the genesis block's previous hash is zero");
            return;
        }
        if (header.Height != head.Height + 1)
            throw new LedgerException(StorageErrors.WrongHeight, $"block {header.Height} does not extend the head at {head.Height}");
        if (header.PrevHash != head.Hash)
            throw new LedgerException(StorageErrors.WrongParent, $"block {header.Height} has previous hash {header.PrevHash}, the head is {head.Hash}");
    }

    private static void CheckCertificate(Block block, Hash32 hash)
    {
        // The seals are verified by whoever decided the block was committed (consensus, sync); the store only
        // refuses a block that carries no certificate for itself.
        var commit = block.Commit ?? throw new LedgerException(StorageErrors.Uncertified, $"block {block.Header.Height} has no commit certificate");
        if (commit.Height != block.Header.Height || commit.BlockHash != hash)
            throw new LedgerException(StorageErrors.WrongParent, $"the commit certificate of block {block.Header.Height} is for block {commit.Height} {commit.BlockHash}");
    }

    private void CheckIndex(Block block, TxIndexEntry[] entries)
    {
        if (block.Header.TxCount != block.Transactions.Count || block.Receipts.Count != block.Transactions.Count)
            throw new LedgerException(ErrorCode.InvalidFieldValue,
                $"block {block.Header.Height}: the header counts {block.Header.TxCount} txs, the block has {block.Transactions.Count} txs and {block.Receipts.Count} receipts");
        if (entries.Length != block.Transactions.Count)
            throw new ArgumentException($"block {block.Header.Height} has {block.Transactions.Count} txs but {entries.Length} index entries", nameof(entries));
        var seen = new HashSet<Hash32>();
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (entry.Index != i)
                throw new ArgumentException($"index entries must number the txs 0..{entries.Length - 1} once each", nameof(entries));
            if (entry.TxId != block.Receipts[i].TxId)
                throw new ArgumentException($"index entry {i} names tx {entry.TxId} but the receipt is for {block.Receipts[i].TxId}", nameof(entries));
            if (entry.ContractId is not null) BlockStoreKeys.ContractPrefix(entry.ContractId);
            if (!seen.Add(entry.TxId) || _store.Get(BlockStoreKeys.ForTransaction(entry.TxId)) is not null)
                throw new LedgerException(ErrorCode.DuplicateTransaction, $"tx {entry.TxId} is already committed");
        }
    }

    private ChainHead? LoadHead()
    {
        var value = _store.Get(BlockStoreKeys.Head);
        if (value is null) return null;
        if (value.Length != 8 + Hash32.Size)
            throw new LedgerException(StorageErrors.Corrupt, $"the stored head is {value.Length} bytes, not {8 + Hash32.Size}");
        var height = BinaryPrimitives.ReadUInt64BigEndian(value);
        var hash = new Hash32(value.AsSpan(8));
        var block = GetBlock(height) ?? throw new LedgerException(StorageErrors.Corrupt, $"the head names block {height}, which is not stored");
        if (block.Header.ComputeHash(_hasher) != hash)
            throw new LedgerException(StorageErrors.Corrupt, $"the stored block {height} does not have the head's hash {hash}");
        return new ChainHead(height, hash, block.Header);
    }

    private static ulong ReadUInt64(byte[] value, string what) =>
        value.Length == 8
            ? BinaryPrimitives.ReadUInt64BigEndian(value)
            : throw new LedgerException(StorageErrors.Corrupt, $"{what} is {value.Length} bytes, not 8");
}
