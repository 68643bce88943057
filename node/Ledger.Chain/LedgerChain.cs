using System.Runtime.CompilerServices;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Journal;
using Ledger.Chain.Pool;
using Ledger.Chaincode.Access;
using Ledger.Chaincode.State;
using Ledger.Chaincode.PaperBatches;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Blocks;
using Ledger.Core.Crypto;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;
using Ledger.Core.Merkle;
using Ledger.Core.Transactions;
using Ledger.Storage;

namespace Ledger.Chain;

/// <summary>
/// One node's chain: admission into the pool, commit of executed and certified blocks, and every read the
/// API offers. Block production (solo, or QBFT across validators) drives <see cref="Commit"/>; everything
/// else here is safe to call from many threads at once.
/// </summary>
public sealed class LedgerChain : ILedgerApi
{
    private readonly GenesisDocument _genesis;
    private readonly BlockStore _store;
    private readonly TxAdmission _admission;
    private readonly Mempool _pool;
    private readonly IHasher _hasher;
    private readonly TimeProvider _time;
    private readonly CommitNotifier _notifier = new();
    private readonly RecentBlocks _recent;
    private readonly Lock _commitLock = new();
    private readonly ITxJournal _journal;
    private IReadOnlyList<JournalEntry> _recovered = [];

    public LedgerChain(
        string nodeName,
        GenesisDocument genesis,
        byte[] genesisBytes,
        BlockStore store,
        TxAdmission admission,
        Mempool pool,
        Governance.ValidatorSets validators,
        IHasher hasher,
        TimeProvider time,
        ChainMetrics metrics,
        ITxJournal? journal = null)
    {
        NodeName = nodeName;
        _genesis = genesis;
        _store = store;
        _admission = admission;
        _pool = pool;
        Validators = validators;
        Authorities = new Governance.AuthoritySets(genesis);
        Parameters = new Governance.ChainParameters(genesis);
        _hasher = hasher;
        _time = time;
        Metrics = metrics;
        _journal = journal ?? NullTxJournal.Instance;
        _recent = new RecentBlocks(store, 128);
        if (store.UnfinishedStateSync is { } syncing)
            throw new LedgerException(ErrorCode.StateSyncUnfinished,
                $"the store holds a state sync toward state root {syncing} that did not finish: run `ledger node sync-state` again, or start from an empty data directory");
        if (store.Head is null) CommitGenesisBlock(store, genesis, genesisBytes, hasher, Validators.Genesis.Hash);
        else if (store.GetBlock(0)?.Header.StateRoot != GenesisStateRoot(hasher, genesisBytes))
            throw new LedgerException(ErrorCode.InvalidBlockHash, "the stored chain was started from another genesis.json");
        if (!store.AnchorIndexBuilt) BuildAnchorIndex();
        var state = store.OpenState();
        Validators.Refresh(state);
        Authorities.Refresh(state);
        Parameters.Refresh(state);
    }

    /// <summary>The chain's parameters by height (protocol version, proposers' limits); refreshed with <see cref="Validators"/>.</summary>
    public Governance.ChainParameters Parameters { get; }

    /// <summary>The chain's city CAs by height (genesis's, then governance's); refreshed with <see cref="Validators"/>.</summary>
    public Governance.AuthoritySets Authorities { get; }

    public string ChainId => _genesis.ChainId;

    public string NodeName { get; }

    /// <summary>The validator sets by height: genesis's, then those governance votes scheduled (refreshed after every commit).</summary>
    public Governance.ValidatorSets Validators { get; }

    public ChainMetrics Metrics { get; }

    public Mempool Pool => _pool;

    public BlockStore Store => _store;

    /// <summary>How many WaitForCommit calls are waiting right now.</summary>
    public int WaitingForCommit => _notifier.Waiting;

    public ChainHead Head => _store.Head ?? throw new InvalidOperationException("the chain has no genesis block");

    /// <summary>Raised for every tx a client submitted that entered the pool and the journal: the network gossips it to the other validators.</summary>
    public event Action<ReadOnlyMemory<byte>>? Admitted;

    /// <summary>The txs the journal gave back at startup that were admitted again (to be gossiped once peers connect).</summary>
    public IReadOnlyList<JournalEntry> Recovered => _recovered;

    /// <summary>Admitted txs the journal holds (not yet committed or expired).</summary>
    public int Journaled => _journal.Count;

    /// <summary>
    /// A client's submission: admission, the pool, then the journal — the answer is OK only once the tx is on
    /// disk (fsynced, shared with concurrent submissions), so a node killed right after answering still has it.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(ReadOnlyMemory<byte> envelope)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var admission = _admission.Admit(envelope, _time.GetUtcNow());
        var result = admission.Result;
        if (admission.Tx is not null) result = _pool.TryAdd(admission.Tx);
        if (result.IsValid)
        {
            var tx = admission.Tx!;
            try
            {
                await _journal.AppendAsync(new JournalEntry(tx.TxId, tx.Body.ExpiresAt, tx.Bytes));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                // Not durable, so not acknowledged: out of the pool too, so a retry is admitted afresh.
                _pool.Remove([tx.TxId]);
                result = ValidationResult.Fail(ErrorCode.JournalWriteFailed, $"the node could not journal the tx ({e.Message}); it was not admitted, try again");
            }
        }
        Metrics.RecordSubmission(result, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        if (result.IsValid) Admitted?.Invoke(envelope);
        return new SubmitResult(admission.TxId, result);
    }

    /// <summary><see cref="SubmitAsync"/>, waiting (for in-process callers and tests).</summary>
    public SubmitResult Submit(ReadOnlyMemory<byte> envelope) => SubmitAsync(envelope).GetAwaiter().GetResult();

    /// <summary>
    /// Admission of a tx a peer gossiped: the same checks, but not journaled (its submitter's node journaled it
    /// before acknowledging) and not gossiped on again (every validator hears it from that node).
    /// </summary>
    public SubmitResult SubmitFromPeer(ReadOnlyMemory<byte> envelope)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var admission = _admission.Admit(envelope, _time.GetUtcNow());
        var result = admission.Result;
        if (admission.Tx is not null) result = _pool.TryAdd(admission.Tx);
        Metrics.RecordSubmission(result, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return new SubmitResult(admission.TxId, result);
    }

    /// <summary>
    /// At startup, before serving: the journal's txs go through admission again — an expired one, one committed
    /// meanwhile (here or, after sync, by the others) or with a spent nonce is dropped — and the journal is
    /// rewritten with those admitted. Returns how many were admitted again and how many dropped.
    /// </summary>
    public (int Admitted, int Dropped) RecoverJournal()
    {
        var journaled = _journal.Recover();
        var live = new List<JournalEntry>(journaled.Count);
        var now = _time.GetUtcNow();
        foreach (var envelope in journaled)
        {
            var admission = _admission.Admit(envelope, now);
            if (admission.Tx is null || !_pool.TryAdd(admission.Tx).IsValid) continue;
            live.Add(new JournalEntry(admission.Tx.TxId, admission.Tx.Body.ExpiresAt, admission.Tx.Bytes));
        }
        _journal.Reset(live);
        _recovered = live;
        return (live.Count, journaled.Count - live.Count);
    }

    /// <summary>
    /// Stores an executed block with its commit certificate, in one atomic write, then tells the pool,
    /// admission and everyone waiting. Called by the block producer, one block at a time.
    /// </summary>
    public void Commit(ExecutedBlock executed, CommitCertificate certificate)
    {
        var block = new Block
        {
            Header = executed.Block.Header,
            Transactions = executed.Block.Transactions,
            Receipts = executed.Block.Receipts,
            Commit = certificate,
        };
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (_commitLock)
        {
            _store.Commit(block, executed.State, executed.Index, executed.Tree);
        }
        Metrics.RecordBlock(executed.Transactions.Count, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        // Before anyone hears of the block: the next height must start with the set (and the CAs) this block's governance txs scheduled.
        var committed = _store.OpenState();
        Validators.Refresh(committed);
        Authorities.Refresh(committed);
        Parameters.Refresh(committed);
        var ids = executed.Transactions.Select(t => t.TxId).ToArray();
        _pool.Remove(ids);
        _admission.Forget(ids);
        _journal.Committed(ids);
        // Kept before the waiters wake: otherwise each of them would read and decode the new block.
        _recent.Remember(block);
        _notifier.Committed(block.Header.Height, ids);
    }

    public ChainInfo GetChainInfo()
    {
        var head = Head;
        // The head first, then the parameters: the schedule is refreshed after each commit, so it holds every value a
        // block up to this head's parent voted in, and a vote in the head itself takes effect above it (the activation delay).
        return new ChainInfo(ChainId, head.Height, head.Hash, head.Header.Timestamp, _store.TotalTransactions, _pool.Count, _pool.Bytes, Validators.At(head.Height + 1).Count, NodeName,
            Parameters.Values)
        {
            HistoryFrom = _store.HistoryFrom,
        };
    }

    public ValidatorSetProof? GetValidatorSet(ulong height)
    {
        if (height == 0 || height > Head.Height + 1) return null;
        return new ValidatorSetProof { ChainId = ChainId, Height = height, Validators = Validators.At(height).Pem, ValidatorCheckpoints = ValidatorCheckpoints(height) };
    }

    public Block? GetBlock(ulong height) => _recent.Get(height) ?? (height > 0 && height < _store.HistoryFrom ? throw HistoryNotHeld($"block {height}") : null);

    /// <summary>The first height after genesis whose block this node holds (0: every block; the join height after a state sync).</summary>
    public ulong HistoryFrom => _store.HistoryFrom;

    public IReadOnlyList<byte[]?> GetStateNodes(IReadOnlyList<Hash32> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        return hashes.Select(_store.StateTree.TryLoad).ToArray();
    }

    private LedgerException HistoryNotHeld(string what) =>
        new(ErrorCode.HistoryNotHeld,
            $"{what} is below height {_store.HistoryFrom}, where this node joined the chain by state sync: it holds the state from there, not the blocks before; ask a node with the whole history");

    public Block? GetBlock(Hash32 blockHash) => _store.GetBlock(blockHash);

    public CommittedTransaction? GetTransaction(Hash32 txId) => _store.FindTransaction(txId) is { } location ? At(location) : null;

    private CommittedTransaction At(TxLocation location)
    {
        var block = _recent.Get(location.Height) ?? throw new LedgerException(ErrorCode.StorageCorrupt, $"block {location.Height} is indexed but missing");
        var receipt = block.Receipts[location.Index];
        return new CommittedTransaction(receipt.TxId, block.Transactions[location.Index], receipt, location.Height, location.Index,
            block.Commit?.BlockHash ?? block.Header.ComputeHash(_hasher), block.Header.Timestamp);
    }

    public ContractView? GetContract(string contractId)
    {
        var record = ContractStore.Get(_store.OpenState(), contractId);
        if (record is null) return null;
        var history = _store.ContractTransactions(contractId).Select(At).ToArray();
        return new ContractView(record, history);
    }

    public IReadOnlyList<CommittedTransaction> FindByDocumentHash(Hash32 documentHash) =>
        _store.FindByDocumentHash(documentHash).Select(GetTransaction).OfType<CommittedTransaction>().ToArray();

    public IReadOnlyList<BatchDocumentHit> FindBatchDocuments(Hash32 documentHash) =>
        FindBatchParts(documentHash).Select(p => p.Hit).ToArray();

    public EvidenceProof? GetBatchDocumentEvidence(Hash32 documentHash)
    {
        var found = FindBatchParts(documentHash).OrderBy(p => p.Hit.Seal.Height).ThenBy(p => p.Hit.Seal.Index).FirstOrDefault();
        if (found.Hit is null) return null;
        var (hit, part, record, leafInPart) = found;
        var proof = GetEvidence(hit.Seal.TxId);
        if (proof is null) return null;
        var path = PaperBatchTree.Prove(_hasher, part.Leaves, part.Index, leafInPart, record.AllPartRoots(), part.DocumentCount);
        return proof with
        {
            Batch = new BatchProofJson
            {
                Document = hit.Leaf.DocumentHash.ToHex(),
                ContractId = hit.Leaf.ContractId,
                Grade = (int)hit.Leaf.Grade,
                Index = path.LeafIndex,
                Count = path.TreeSize,
                Path = path.Path.Select(h => h.ToHex()).ToArray(),
            },
        };
    }

    /// <summary>Each indexed part holding the document whose batch is sealed, with the part and the batch's record.</summary>
    private List<(BatchDocumentHit Hit, PaperBatchPart Part, PaperBatchRecord Record, int LeafInPart)> FindBatchParts(Hash32 documentHash)
    {
        var state = _store.OpenState();
        var found = new List<(BatchDocumentHit, PaperBatchPart, PaperBatchRecord, int)>();
        foreach (var (sealTxId, leafIndex) in _store.FindBatchDocument(documentHash))
        {
            if (GetTransaction(sealTxId) is not { } seal) continue;
            var body = seal.Decode().Body;
            if (UploadPaperBatchPayload.Decode(body.Payload.Span) is not PaperBatchSeal sealPayload) continue;
            if (PaperBatchHandler.Read(state, body.Submitter, sealPayload.Root) is not { } record || leafIndex >= record.DocumentCount) continue;
            var partIndex = leafIndex / UploadPaperBatchPayload.PartSize;
            var partTxId = record.PartTxId(partIndex);
            if (GetTransaction(partTxId) is not { } partTx) continue;
            var part = (PaperBatchPart)UploadPaperBatchPayload.Decode(partTx.Decode().Body.Payload.Span);
            var leafInPart = leafIndex - part.FirstLeaf;
            var leaf = part.Leaves[leafInPart];
            if (leaf.DocumentHash != documentHash) throw new LedgerException(ErrorCode.StorageCorrupt, $"the batch index names leaf {leafIndex} of seal {sealTxId}, which is another document");
            found.Add((new BatchDocumentHit(leaf, leafIndex, part.DocumentCount, part.Root, partTxId, body.Submitter, seal), part, record, leafInPart));
        }
        return found;
    }

    public GrantRecord? GetGrant(Hash32 grantId) => AccessStore.GetGrant(_store.OpenState(), grantId);

    public GrantRecord? GetDelegation(string employerCreditCode, Hash32 integratorCertificateId) =>
        AccessStore.GetDelegation(_store.OpenState(), employerCreditCode, integratorCertificateId)?.Grant;

    public IReadOnlyList<AccessLogEntry> ListAccess(Hash32 workerIndexKey) => AccessStore.List(_store.OpenState(), workerIndexKey);

    public EvidenceProof? GetEvidence(Hash32 txId) => GetEvidence(txId, withAnchor: true);

    private EvidenceProof? GetEvidence(Hash32 txId, bool withAnchor)
    {
        var location = _store.FindTransaction(txId);
        if (location is null) return null;
        var block = _recent.Get(location.Height)!;
        var txLeaves = block.Transactions.Select(t => MerkleTree.LeafHash(_hasher, t.Span)).ToArray();
        var receiptLeaves = block.Receipts.Select(r => MerkleTree.LeafHash(_hasher, r.Encode())).ToArray();
        var txPath = MerkleTree.Prove(_hasher, txLeaves, location.Index);
        var receiptPath = MerkleTree.Prove(_hasher, receiptLeaves, location.Index);
        return new EvidenceProof
        {
            ChainId = ChainId,
            TxId = txId.ToHex(),
            Envelope = Convert.ToBase64String(block.Transactions[location.Index].Span),
            Receipt = Convert.ToBase64String(block.Receipts[location.Index].Encode()),
            TxIndex = location.Index,
            TxCount = block.Transactions.Count,
            TxPath = txPath.Path.Select(h => h.ToHex()).ToArray(),
            ReceiptPath = receiptPath.Path.Select(h => h.ToHex()).ToArray(),
            Header = Convert.ToBase64String(block.Header.Encode()),
            Commit = Convert.ToBase64String(block.Commit!.Encode()),
            Validators = Validators.At(location.Height).Pem,
            Intermediates = Authorities.PemsAt(location.Height, block.Header.Timestamp),
            ValidatorCheckpoints = ValidatorCheckpoints(location.Height),
            Revocations = RevocationProofs(block, location.Index),
            Anchor = withAnchor ? NearestAnchor(block.Header.Height) : null,
        };
    }

    /// <summary>How many blocks after a checkpoint are searched for the ExternalAnchor tx that recorded it (building the index of an old store).</summary>
    private const ulong AnchorRecordSearch = 1024;

    /// <summary>
    /// The nearest checkpoint at or above <paramref name="height"/> that the chain has recorded as anchored externally and that
    /// is this chain's block at its height, with the proof of the ExternalAnchor tx that recorded it and the headers linking
    /// <paramref name="height"/> to it; null when none lies within <see cref="AnchorProofJson.MaxHeaders"/> blocks above.
    /// Found in the block store's anchor index (at most two buckets), not by scanning every anchor.
    /// </summary>
    private AnchorProofJson? NearestAnchor(ulong height)
    {
        if (CoveringAnchor(height) is not { } record) return null;
        var headers = new List<string>((int)(record.Checkpoint - height));
        for (var h = height + 1; h <= record.Checkpoint; h++)
            headers.Add(Convert.ToBase64String((_recent.Get(h) ?? throw new LedgerException(ErrorCode.StorageCorrupt, $"block {h} is below the head but missing")).Header.Encode()));
        return new AnchorProofJson { Proof = GetEvidence(record.RecordTxId, withAnchor: false)!, Headers = headers };
    }

    /// <summary>The nearest recorded anchor at or above <paramref name="height"/> (within the proof's header limit) that names this chain's block.</summary>
    private AnchorRecordEntry? CoveringAnchor(ulong height)
    {
        foreach (var record in _store.AnchorRecords(height, height + AnchorProofJson.MaxHeaders))
        {
            // A record naming another block than ours at that height links nothing: the anchoring service erred or lied.
            if (_recent.Get(record.Checkpoint) is { } anchored && anchored.Header.ComputeHash(_hasher) == record.BlockHash) return record;
        }
        return null;
    }

    public (ulong Height, IReadOnlyList<Core.Governance.ScheduledAuthority> Authorities) GetAuthorities()
    {
        // The schedule is refreshed as a block commits: read after the head, it is at least as new as the height given.
        var height = Head.Height;
        return (height, Authorities.Schedule.Entries);
    }

    public ExternalAnchorView? GetExternalAnchor(ulong height)
    {
        if (CoveringAnchor(height) is not { } record) return null;
        var tx = GetTransaction(record.RecordTxId) ?? throw new LedgerException(ErrorCode.StorageCorrupt, $"the anchor index names tx {record.RecordTxId}, which is not stored");
        var payload = Core.Anchoring.ExternalAnchorPayload.Decode(TxEnvelope.Decode(tx.Envelope.Span).Body.Payload.Span);
        return new ExternalAnchorView(payload, record.RecordTxId, tx.Height);
    }

    /// <summary>
    /// A store written before the anchor index existed: each anchor the state holds (0x21 ‖ height ‖ …) with the tx that
    /// recorded it, found once in the blocks after its checkpoint.
    /// </summary>
    private void BuildAnchorIndex()
    {
        var records = new List<AnchorRecordEntry>();
        foreach (var (_, value) in _store.ScanState([StateKeys.ExternalAnchorPrefix]))
        {
            var recorded = Core.Anchoring.ExternalAnchorPayload.Decode(value);
            if (FindAnchorRecord(recorded) is { } recordTx)
                records.Add(new AnchorRecordEntry(recorded.Height, recorded.EvmChainId, recorded.Contract, recorded.BlockHash, recordTx));
        }
        _store.BuildAnchorIndex(records);
    }

    /// <summary>The accepted ExternalAnchor tx that recorded <paramref name="recorded"/>, searched in the blocks after its checkpoint.</summary>
    private Hash32? FindAnchorRecord(Core.Anchoring.ExternalAnchorPayload recorded)
    {
        var head = Head.Height;
        for (var h = recorded.Height + 1; h <= head && h <= recorded.Height + AnchorRecordSearch; h++)
        {
            var block = _recent.Get(h);
            if (block is null) break;
            for (var i = 0; i < block.Transactions.Count; i++)
            {
                if (block.Receipts[i].Code != ErrorCode.Ok) continue;
                var envelope = TxEnvelope.Decode(block.Transactions[i].Span);
                if (envelope.Body.PayloadField != Core.Anchoring.ExternalAnchorPayload.Field) continue;
                var payload = Core.Anchoring.ExternalAnchorPayload.Decode(envelope.Body.Payload.Span);
                if (payload.Height == recorded.Height && payload.EvmChainId == recorded.EvmChainId && payload.Contract.Span.SequenceEqual(recorded.Contract.Span))
                    return envelope.ComputeId(_hasher);
            }
        }
        return null;
    }

    /// <summary>
    /// How the validator set of <paramref name="height"/> derives from genesis: each block below it whose governance txs
    /// changed the schedule, with the schedule proved under its state root; null while genesis's set is the only one.
    /// </summary>
    private ValidatorCheckpointJson[]? ValidatorCheckpoints(ulong height)
    {
        var changes = Validators.Schedule.ChangedAt.Where(c => c < height).ToArray();
        if (changes.Length == 0) return null;
        return changes.Select(c =>
        {
            var block = _recent.Get(c) ?? throw new LedgerException(ErrorCode.StorageCorrupt, $"block {c} changed the validator schedule but is missing");
            var (value, proof) = _store.StateTree.Prove(block.Header.StateRoot, Core.Governance.GovernanceKeys.Schedule);
            if (value is null) throw new LedgerException(ErrorCode.StorageCorrupt, $"block {c} changed the validator schedule, which its state does not hold");
            return new ValidatorCheckpointJson
            {
                Header = Convert.ToBase64String(block.Header.Encode()),
                Commit = Convert.ToBase64String(block.Commit!.Encode()),
                Schedule = Convert.ToBase64String(value),
                StateProof = StateProofJson.From(proof),
            };
        }).ToArray();
    }

    /// <summary>
    /// The chain's revocation status, under the block's state root, of every certificate the tx at <paramref name="index"/>
    /// relies on: each endorsing certificate and the CAs above it, in order, once.
    /// </summary>
    private RevocationProofJson[] RevocationProofs(Block block, int index)
    {
        var envelope = TxEnvelope.Decode(block.Transactions[index].Span);
        return _admission.RevocationKeysOf(envelope, DateTimeOffset.FromUnixTimeMilliseconds(block.Header.Timestamp)).Select(key =>
        {
            var (value, proof) = _store.StateTree.Prove(block.Header.StateRoot, key);
            return new RevocationProofJson { Key = Convert.ToHexStringLower(key), Record = value is null ? null : Convert.ToBase64String(value), StateProof = StateProofJson.From(proof) };
        }).ToArray();
    }

    public ContractEvidence? GetContractEvidence(string contractId, ulong? height)
    {
        ArgumentException.ThrowIfNullOrEmpty(contractId);
        var head = Head;
        var at = height ?? head.Height;
        if (at == 0 || at > head.Height) return null;
        var block = _recent.Get(at) ?? throw (at < _store.HistoryFrom
            ? HistoryNotHeld($"block {at}")
            : new LedgerException(ErrorCode.StorageCorrupt, $"block {at} is below the head but missing"));
        var (value, proof) = _store.StateTree.Prove(block.Header.StateRoot, StateKeys.Contract(contractId));
        var events = new List<EvidenceProof>();
        if (value is not null)
        {
            foreach (var entry in ContractRecord.Decode(value).History)
                events.Add(GetEvidence(entry.TxId) ?? throw (_store.HistoryFrom > 0
                    ? HistoryNotHeld($"an event of {contractId} (tx {entry.TxId})")
                    : new LedgerException(ErrorCode.StorageCorrupt, $"the history of {contractId} names tx {entry.TxId}, which is not stored")));
        }
        return new ContractEvidence
        {
            ChainId = ChainId,
            ContractId = contractId,
            Height = at,
            Header = Convert.ToBase64String(block.Header.Encode()),
            Commit = Convert.ToBase64String(block.Commit!.Encode()),
            Validators = Validators.At(at).Pem,
            Intermediates = Authorities.PemsAt(at, block.Header.Timestamp),
            ValidatorCheckpoints = ValidatorCheckpoints(at),
            Record = value is null ? null : Convert.ToBase64String(value),
            StateProof = StateProofJson.From(proof),
            Events = events,
        };
    }

    public async Task<CommittedTransaction?> WaitForCommitAsync(Hash32 txId, CancellationToken cancellationToken)
    {
        using var committed = _notifier.TransactionCommitted(txId);
        try
        {
            var found = GetTransaction(txId);
            if (found is not null) return found;
            return At(await committed.Task.WaitAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<Block> WatchBlocksAsync(ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = fromHeight;
        while (!cancellationToken.IsCancellationRequested)
        {
            var signal = _notifier.NextBlock();
            while (next <= Head.Height)
            {
                var block = _recent.Get(next);
                if (block is null) break;
                yield return block;
                next++;
            }
            try
            {
                await signal.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>Block 0's state root: the state tree whose one entry is SM3(genesis.json) (<see cref="ChainStateKeys.Genesis"/>).</summary>
    public static Hash32 GenesisStateRoot(IHasher hasher, byte[] genesisBytes) =>
        SparseMerkleTree.SingleEntryRoot(hasher, ChainStateKeys.Genesis, hasher.Hash(genesisBytes).ToArray());

    /// <summary>Block 0 of <paramref name="genesis"/> into an empty store: what every node starts from, by replay or by state sync.</summary>
    public static void CommitGenesisBlock(BlockStore store, GenesisDocument genesis, byte[] genesisBytes, IHasher hasher, Hash32 validatorSetHash)
    {
        var empty = MerkleTree.Root(hasher, []);
        var state = store.OpenState();
        state.Put(ChainStateKeys.Genesis, hasher.Hash(genesisBytes).ToArray());
        var tree = store.StateTree.Update(store.StateRoot, state.Changes);
        var header = new BlockHeader
        {
            Height = 0,
            PrevHash = Hash32.Zero,
            TxRoot = empty,
            ReceiptsRoot = empty,
            StateRoot = tree.Root,
            Timestamp = genesis.GenesisTime,
            Proposer = Hash32.Zero,
            Round = 0,
            ValidatorSetHash = validatorSetHash,
        };
        var hash = header.ComputeHash(hasher);
        var block = new Block
        {
            Header = header,
            Transactions = [],
            Receipts = [],
            Commit = new CommitCertificate { Height = 0, Round = 0, BlockHash = hash, Seals = [] },
        };
        store.Commit(block, state, [], tree);
    }
}
