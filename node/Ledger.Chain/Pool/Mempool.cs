using Ledger.Chain.Admission;
using Ledger.Core;

namespace Ledger.Chain.Pool;

/// <summary>
/// Admitted txs waiting for a block, oldest first, bounded by count and bytes and by what the chain commits in a
/// window (<see cref="MempoolOptions.CommitWindowSeconds"/>). A second tx with the same id or the same
/// (submitter, nonce) is refused here; the committed chain refuses replays at admission.
/// </summary>
public sealed class Mempool(MempoolOptions? options = null, TimeProvider? time = null)
{
    private readonly MempoolOptions _options = options ?? new MempoolOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CommitRate _rate = new((options ?? new MempoolOptions()).RateHorizon);
    private readonly Lock _lock = new();
    private readonly LinkedList<AdmittedTx> _order = new();
    private readonly Dictionary<Hash32, LinkedListNode<AdmittedTx>> _byId = new();
    private readonly HashSet<(Hash32 Submitter, ulong Nonce)> _nonces = new();
    private long _bytes;
    private TaskCompletionSource _arrival = NewSignal();

    public int Count
    {
        get
        {
            lock (_lock) return _byId.Count;
        }
    }

    public long Bytes
    {
        get
        {
            lock (_lock) return _bytes;
        }
    }

    public bool Contains(Hash32 txId)
    {
        lock (_lock) return _byId.ContainsKey(txId);
    }

    /// <summary>The chain committed a block of <paramref name="txs"/> txs: the window's rate learns from it.</summary>
    public void RecordCommitted(int txs) => _rate.Record(txs, _time.GetUtcNow());

    /// <summary>Txs per second the chain committed recently.</summary>
    public double CommitTxPerSecond => _rate.TxPerSecond(_time.GetUtcNow());

    /// <summary>How many txs the pool takes now: the fixed cap, or less when the chain commits too slowly to drain more within the window.</summary>
    public int Capacity(bool fromPeer = false)
    {
        if (_options.CommitWindowSeconds <= 0) return _options.MaxTransactions;
        var window = Math.Max(_options.MinPendingTransactions, CommitTxPerSecond * _options.CommitWindowSeconds);
        if (fromPeer) window *= Math.Max(1, _options.PeerWindowFactor);
        return (int)Math.Min(_options.MaxTransactions, window);
    }

    /// <summary>
    /// Null when the pool has room for one more tx (before admission spends signature checks on it); otherwise the
    /// MempoolFull refusal and how long until the chain should have committed enough to make room.
    /// </summary>
    public (ValidationResult Refusal, TimeSpan RetryAfter)? CheckRoom(bool fromPeer = false)
    {
        var capacity = Capacity(fromPeer);
        int count;
        long bytes;
        lock (_lock) (count, bytes) = (_byId.Count, _bytes);
        if (count < capacity && bytes < _options.MaxBytes) return null;
        return (Full(count, bytes, capacity), RetryAfter(count, capacity));
    }

    /// <summary>How long until the chain, at its recent rate, commits enough to take the pool a tenth below its capacity.</summary>
    public TimeSpan RetryAfter(int count, int capacity)
    {
        var rate = CommitTxPerSecond;
        var seconds = rate <= 0 ? _options.MaxRetryAfter.TotalSeconds / 4 : (count - capacity + 1 + capacity / 10.0) / rate;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, _options.MinRetryAfter.TotalSeconds, _options.MaxRetryAfter.TotalSeconds));
    }

    private ValidationResult Full(int count, long bytes, int capacity) =>
        ValidationResult.Fail(ErrorCode.MempoolFull, capacity < _options.MaxTransactions
            ? $"the pool holds {count} txs, what the chain commits in {_options.CommitWindowSeconds:0} s at its recent {CommitTxPerSecond:0.#} tx/s (at least {_options.MinPendingTransactions}); try again later"
            : $"the pool holds {count} txs ({bytes} bytes); try again later");

    public ValidationResult TryAdd(AdmittedTx tx) => TryAdd(tx, fromPeer: false);

    /// <summary>A tx this node acknowledged before a restart (its journal): bounded by the fixed caps only, never by the window.</summary>
    public ValidationResult Readmit(AdmittedTx tx) => Add(tx, _options.MaxTransactions);

    public ValidationResult TryAdd(AdmittedTx tx, bool fromPeer) => Add(tx, Capacity(fromPeer));

    private ValidationResult Add(AdmittedTx tx, int capacity)
    {
        TaskCompletionSource? signal;
        lock (_lock)
        {
            if (_byId.ContainsKey(tx.TxId))
                return ValidationResult.Fail(ErrorCode.DuplicateTransaction, $"tx {tx.TxId} is already in the pool");
            if (_nonces.Contains((tx.Body.Submitter, tx.Body.Nonce)))
                return ValidationResult.Fail(ErrorCode.StaleNonce, $"another pooled tx uses nonce {tx.Body.Nonce} of this submitter");
            if (_byId.Count >= capacity || _bytes + tx.Size > _options.MaxBytes)
                return Full(_byId.Count, _bytes, capacity);
            _byId[tx.TxId] = _order.AddLast(tx);
            _nonces.Add((tx.Body.Submitter, tx.Body.Nonce));
            _bytes += tx.Size;
            signal = _arrival;
            _arrival = NewSignal();
        }
        signal.TrySetResult();
        return ValidationResult.Valid;
    }

    /// <summary>The oldest txs, up to the block's limits, left in the pool until <see cref="Remove"/>.</summary>
    public IReadOnlyList<AdmittedTx> Select(int maxCount, long maxBytes)
    {
        var selected = new List<AdmittedTx>(Math.Min(maxCount, 1024));
        long bytes = 0;
        lock (_lock)
        {
            for (var node = _order.First; node is not null && selected.Count < maxCount; node = node.Next)
            {
                if (bytes + node.Value.Size > maxBytes) break;
                selected.Add(node.Value);
                bytes += node.Value.Size;
            }
        }
        return selected;
    }

    public void Remove(IEnumerable<Hash32> txIds)
    {
        lock (_lock)
        {
            foreach (var id in txIds)
            {
                if (!_byId.Remove(id, out var node)) continue;
                _order.Remove(node);
                _nonces.Remove((node.Value.Body.Submitter, node.Value.Body.Nonce));
                _bytes -= node.Value.Size;
            }
        }
    }

    /// <summary>Completes when a tx arrives (immediately if the pool is not empty).</summary>
    public Task WaitForTransactionsAsync(CancellationToken cancellationToken)
    {
        Task signal;
        lock (_lock)
        {
            if (_byId.Count > 0) return Task.CompletedTask;
            signal = _arrival.Task;
        }
        return signal.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
