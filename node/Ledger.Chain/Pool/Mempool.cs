using Ledger.Chain.Admission;
using Ledger.Core;

namespace Ledger.Chain.Pool;

/// <summary>
/// Admitted txs waiting for a block, oldest first, bounded by count and bytes. A second tx with the same
/// id or the same (submitter, nonce) is refused here; the committed chain refuses replays at admission.
/// </summary>
public sealed class Mempool(MempoolOptions? options = null)
{
    private readonly MempoolOptions _options = options ?? new MempoolOptions();
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

    public ValidationResult TryAdd(AdmittedTx tx)
    {
        TaskCompletionSource? signal;
        lock (_lock)
        {
            if (_byId.ContainsKey(tx.TxId))
                return ValidationResult.Fail(ErrorCode.DuplicateTransaction, $"tx {tx.TxId} is already in the pool");
            if (_nonces.Contains((tx.Body.Submitter, tx.Body.Nonce)))
                return ValidationResult.Fail(ErrorCode.StaleNonce, $"another pooled tx uses nonce {tx.Body.Nonce} of this submitter");
            if (_byId.Count >= _options.MaxTransactions || _bytes + tx.Size > _options.MaxBytes)
                return ValidationResult.Fail(ErrorCode.MempoolFull, $"the pool holds {_byId.Count} txs ({_bytes} bytes); try again later");
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
