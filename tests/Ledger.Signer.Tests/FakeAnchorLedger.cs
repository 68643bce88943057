using Ledger.Core;
using Ledger.Core.Audit;
using Ledger.Crypto;
using Ledger.Signer.Audit;

namespace Ledger.Signer.Tests;

/// <summary>A ledger in a dictionary: anchors "commit" at once; reads can be slowed to test deadlines.</summary>
public sealed class FakeAnchorLedger : IAnchorLedger
{
    private readonly Dictionary<Hash32, AuditAnchorPayload> _txs = [];
    private ulong _height;

    public TimeSpan ReadDelay { get; set; }

    public IReadOnlyCollection<AuditAnchorPayload> Anchors
    {
        get
        {
            lock (_txs) return [.. _txs.Values];
        }
    }

    public Task<(Hash32 TxId, ulong Height)> AnchorAsync(AuditAnchorPayload head, CancellationToken cancellationToken)
    {
        lock (_txs)
        {
            var id = Sm3.Hash([.. head.Encode(), .. BitConverter.GetBytes(++_height)]);
            _txs[id] = head;
            return Task.FromResult((id, _height));
        }
    }

    public async Task<AuditAnchorPayload?> ReadAnchorAsync(Hash32 txId, CancellationToken cancellationToken)
    {
        if (ReadDelay > TimeSpan.Zero) await Task.Delay(ReadDelay, cancellationToken);
        lock (_txs) return _txs.GetValueOrDefault(txId);
    }
}
