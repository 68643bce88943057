using Ledger.Client;
using Ledger.Core;
using Microsoft.Extensions.Logging;

namespace Ledger.Anchor;

/// <summary>
/// Follows our chain and anchors its checkpoints on the external chain — after each anchored block, the first that is the
/// chain's <c>anchor.intervalBlocks</c> above it or <c>anchor.intervalSeconds</c> of block time after it, whichever comes
/// first (<see cref="CheckpointPlanner"/>; genesis's values, then governance's, each from its height) — one at a time, in
/// height order:
/// <list type="number">
/// <item>the contract already holds the checkpoint (a restart after it was written): recorded, nothing sent;</item>
/// <item>otherwise the tx is signed with the account's next nonce and written to the state file <em>before</em> it
/// is broadcast; from then on only those bytes are ever sent for that checkpoint (after a restart, after the node
/// dropped them, after a reorg took them out of a block), so two anchors for one checkpoint cannot both be mined —
/// they would share a nonce — and the contract refuses a second write for a height in any case;</item>
/// <item>it counts as anchored once its block is canonical and <see cref="AnchorOptions.Confirmations"/> deep.</item>
/// </list>
/// Either node being down only delays this: every call that fails to reach one is retried with doubling backoff.
/// </summary>
public sealed class AnchorService(AnchorOptions options, ICheckpointSource source, EvmAnchorChain evm, AnchorStateStore store, ILogger<AnchorService> logger,
    TimeProvider? time = null, IAnchorRecorder? recorder = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CheckpointPlanner _planner = new(source);

    /// <summary>The chain id is the checkpoints' own; <paramref name="chainId"/> is what the contract is keyed by.</summary>
    public async Task RunAsync(string chainId, CancellationToken cancellationToken)
    {
        var state = store.Load();
        var retry = TimeSpan.FromMilliseconds(options.RetryMinMs);
        var checkedChain = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!checkedChain)
                {
                    var reported = await evm.GetChainIdAsync().ConfigureAwait(false);
                    if (reported != options.EvmChainId)
                        throw new LedgerException(ErrorCode.WrongChainId, $"the EVM node at {options.Rpc} is chain {reported}, the config names {options.EvmChainId}");
                    checkedChain = true;
                }
                if (recorder is not null && state.Receipts.FirstOrDefault(r => r.Height > state.RecordedUpTo) is { } unrecorded)
                {
                    state = await RecordAsync(state, unrecorded, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var (next, wait) = state.Pending is null
                    ? await StartNextAsync(chainId, state, cancellationToken).ConfigureAwait(false)
                    : await AdvancePendingAsync(chainId, state).ConfigureAwait(false);
                state = next;
                retry = TimeSpan.FromMilliseconds(options.RetryMinMs);
                if (wait) await Task.Delay(TimeSpan.FromMilliseconds(options.PollMs), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("anchoring waits {RetryMs} ms: {Reason}", (long)retry.TotalMilliseconds, e.Message);
                await Task.Delay(retry, _time, cancellationToken).ConfigureAwait(false);
                retry = TimeSpan.FromMilliseconds(Math.Min(retry.TotalMilliseconds * 2, options.RetryMaxMs));
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Records a confirmed anchor on our chain (in height order, each once), then notes it in the state file.</summary>
    private async Task<AnchorState> RecordAsync(AnchorState state, AnchorReceipt receipt, CancellationToken cancellationToken)
    {
        var height = await recorder!.RecordAsync(receipt, cancellationToken).ConfigureAwait(false);
        if (height == 0) logger.LogInformation("the anchor of checkpoint {Height} was already recorded on our chain", receipt.Height);
        else logger.LogInformation("the anchor of checkpoint {Height} is recorded on our chain at height {RecordHeight}", receipt.Height, height);
        var next = state with { RecordedUpTo = receipt.Height };
        store.Save(next);
        return next;
    }

    /// <summary>
    /// The block the next checkpoint is counted from: the last confirmed one, or (before the first, or when
    /// <see cref="AnchorOptions.StartHeight"/> lies above it) the block below the start height — genesis without one.
    /// </summary>
    public ulong BaseHeight(AnchorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Math.Max(state.LastConfirmed, options.StartHeight > 0 ? options.StartHeight - 1 : 0);
    }

    private static bool IsTransient(Exception e) =>
        e is LedgerException { Code: ErrorCode.ExternalChainUnavailable }
        || e is LedgerClientException { Status: Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded or Grpc.Core.StatusCode.Internal or Grpc.Core.StatusCode.Unknown }
        || e is HttpRequestException or IOException;

    private async Task<(AnchorState, bool Wait)> StartNextAsync(string chainId, AnchorState state, CancellationToken cancellationToken)
    {
        var next = await _planner.NextAsync(BaseHeight(state), cancellationToken).ConfigureAwait(false);
        if (next is null) return (state, true);
        var checkpoint = next.Checkpoint;
        var height = checkpoint.Height;
        if (checkpoint.ChainId != chainId)
            throw new LedgerException(ErrorCode.WrongChainId, $"the node serves chain {checkpoint.ChainId}, the anchor service was started for {chainId}");

        var existing = await evm.ReadCheckpointAsync(chainId, height).ConfigureAwait(false);
        if (existing is not null)
        {
            EnsureSame(existing.Checkpoint, checkpoint);
            // Written by an earlier run whose state file did not keep it (or by a run without one): nothing to send; its
            // receipt is read back from the contract's event, so it is kept and recorded on our chain like any other.
            logger.LogInformation("checkpoint {Height} is already anchored (external block {Block})", height, existing.ExternalBlock);
            return (Confirmed(state, height, await evm.FindReceiptAsync(chainId, height, existing.ExternalBlock).ConfigureAwait(false)), false);
        }

        // A tx of ours in the pool that this state does not know (a lost or older state file) takes the next nonce;
        // wait for it to be mined rather than race it, then look at the contract again.
        var mined = await evm.GetNonceAsync(includePending: false).ConfigureAwait(false);
        var pooled = await evm.GetNonceAsync(includePending: true).ConfigureAwait(false);
        if (pooled > mined)
        {
            logger.LogInformation("waiting for {Count} pending tx(s) of {Address} before anchoring {Height}", pooled - mined, evm.Address, height);
            return (state, true);
        }

        var (raw, hash) = await evm.SignAnchorAsync(checkpoint, mined, options.GasPriceWei).ConfigureAwait(false);
        var pending = new PendingAnchor(height, checkpoint.BlockHash.ToHex(), checkpoint.ValidatorSetHash.ToHex(), checkpoint.CertificateHash.ToHex(),
            mined, raw, hash, _time.GetUtcNow());
        state = state with { Pending = pending };
        store.Save(state); // before the broadcast: a restart must find this tx, never sign another
        await evm.BroadcastAsync(raw).ConfigureAwait(false);
        logger.LogInformation("anchoring checkpoint {Height} in tx {TxHash} (nonce {Nonce})", height, hash, mined);
        return (state, false);
    }

    private async Task<(AnchorState, bool Wait)> AdvancePendingAsync(string chainId, AnchorState state)
    {
        var pending = state.Pending!;
        var receipt = await evm.GetReceiptAsync(pending.TxHash).ConfigureAwait(false);
        if (receipt is not null)
        {
            var number = (ulong)receipt.BlockNumber.Value;
            var canonical = await evm.GetBlockAsync(number).ConfigureAwait(false);
            if (canonical is { } block && string.Equals(block.Hash, receipt.BlockHash, StringComparison.OrdinalIgnoreCase))
            {
                var head = await evm.GetHeadAsync().ConfigureAwait(false);
                if (head + 1 < number + options.Confirmations) return (state, true);
                // Deep enough. Reverted: the contract refused it; what it holds decides.
                if (receipt.Status?.Value != 1)
                {
                    var held = await evm.ReadCheckpointAsync(chainId, pending.Height).ConfigureAwait(false)
                        ?? throw new LedgerException(ErrorCode.AnchorWriteRefused,
                            $"the contract refused the anchor of {pending.Height} (tx {pending.TxHash}) and holds no checkpoint there: is {evm.Address} its writer?");
                    EnsureSame(held.Checkpoint, Expected(chainId, pending));
                    return (Confirmed(state, pending.Height, await evm.FindReceiptAsync(chainId, pending.Height, held.ExternalBlock).ConfigureAwait(false)), false);
                }
                var anchored = new AnchorReceipt(pending.Height, pending.BlockHash, options.EvmChainId, evm.Contract, pending.TxHash, number,
                    receipt.BlockHash, block.Time, (ulong)(receipt.GasUsed?.Value ?? 0));
                logger.LogInformation("checkpoint {Height} anchored: tx {TxHash} in external block {Block}, {Confirmations} confirmations",
                    pending.Height, pending.TxHash, number, head + 1 - number);
                return (Confirmed(state, pending.Height, anchored), false);
            }
            // Its block is no longer canonical: a reorg; the tx is back in the pool or gone. Below, as if unmined.
            logger.LogWarning("the block that held the anchor of {Height} (tx {TxHash}) was reorganised away", pending.Height, pending.TxHash);
        }

        var mined = await evm.GetNonceAsync(includePending: false).ConfigureAwait(false);
        if (mined > pending.Nonce)
        {
            // The nonce went to another tx of this account: this one can never be mined. The contract decides.
            var held = await evm.ReadCheckpointAsync(chainId, pending.Height).ConfigureAwait(false);
            if (held is not null)
            {
                EnsureSame(held.Checkpoint, Expected(chainId, pending));
                return (Confirmed(state, pending.Height, await evm.FindReceiptAsync(chainId, pending.Height, held.ExternalBlock).ConfigureAwait(false)), false);
            }
            logger.LogWarning("nonce {Nonce} was used by another tx; the anchor of {Height} is signed again", pending.Nonce, pending.Height);
            var cleared = state with { Pending = null };
            store.Save(cleared);
            return (cleared, false);
        }
        if (!await evm.IsKnownAsync(pending.TxHash).ConfigureAwait(false))
        {
            logger.LogInformation("re-sending the anchor of {Height} (tx {TxHash}, nonce {Nonce}): the EVM node does not have it", pending.Height, pending.TxHash, pending.Nonce);
            await evm.BroadcastAsync(pending.RawTx).ConfigureAwait(false);
        }
        return (state, true);
    }

    private AnchorState Confirmed(AnchorState state, ulong height, AnchorReceipt? receipt)
    {
        var next = state with
        {
            LastConfirmed = height,
            Pending = null,
            Receipts = receipt is null ? state.Receipts : [.. state.Receipts, receipt],
        };
        store.Save(next);
        return next;
    }

    private static Checkpoint Expected(string chainId, PendingAnchor pending) =>
        new(chainId, pending.Height, Hash32.Parse(pending.BlockHash), Hash32.Parse(pending.ValidatorSetHash), Hash32.Parse(pending.CertificateHash));

    private static void EnsureSame(Checkpoint held, Checkpoint ours)
    {
        if (held != ours)
            throw new LedgerException(ErrorCode.AnchorConflict,
                $"the contract holds another checkpoint for height {ours.Height} (block {held.BlockHash}) than our chain's (block {ours.BlockHash})");
    }
}
