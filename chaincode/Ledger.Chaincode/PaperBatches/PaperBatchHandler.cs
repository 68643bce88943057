using System.Globalization;
using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Crypto;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.Merkle;
using Ledger.Core.State;

namespace Ledger.Chaincode.PaperBatches;

/// <summary>
/// Executes <see cref="UploadPaperBatchPayload"/>: a Bureau's part is recorded (its subtree root) once, in its place; its
/// seal anchors the batch once every part is on chain and the part roots make the sealed root. Batches are kept per
/// submitting certificate, so no other bureau can take or spoil a batch's slots. Nothing here re-reads earlier txs: a
/// part's root is all the seal needs.
/// </summary>
public static class PaperBatchHandler
{
    public static ExecutionResult Execute(TxContext context, UploadPaperBatchPayload payload, IStateStore state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(state);
        if (context.Submitter.Role != Role.Bureau || context.Submitter.CertificateId is null)
            return ExecutionResult.Reject(ErrorCode.PaperBatchRoleNotAllowed,
                string.Create(CultureInfo.InvariantCulture, $"only a Bureau certificate may anchor a paper batch, not {context.Submitter.Role}"));
        var hasher = context.Hasher ?? throw new InvalidOperationException("a paper batch executes with the chain's hasher in its TxContext");
        var key = StateKeys.PaperBatch(context.Body.Submitter, payload.Root);
        var record = Read(state, key);
        if (record is not null && record.DocumentCount != payload.DocumentCount)
            return ExecutionResult.Reject(ErrorCode.PaperBatchMismatch,
                string.Create(CultureInfo.InvariantCulture, $"batch {payload.Root} has {record.DocumentCount} documents on record, not {payload.DocumentCount}"));
        if (record is { IsSealed: true })
            return ExecutionResult.Reject(ErrorCode.PaperBatchSealed, $"batch {payload.Root} is already sealed by tx {record.SealTxId}");
        return payload switch
        {
            PaperBatchPart part => Part(context, part, record ?? PaperBatchRecord.Empty(part.DocumentCount), key, state, hasher),
            PaperBatchSeal seal => Seal(context, seal, record, key, state, hasher),
            _ => ExecutionResult.Reject(ErrorCode.UnknownPayload, "an UploadPaperBatch step this chaincode does not know"),
        };
    }

    private static ExecutionResult Part(TxContext context, PaperBatchPart part, PaperBatchRecord record, byte[] key, IStateStore state, IHasher hasher)
    {
        try
        {
            part.Check();
        }
        catch (LedgerException e)
        {
            return ExecutionResult.Reject(e.Code, e.Message);
        }
        if (record.HasPart(part.Index))
            return ExecutionResult.Reject(ErrorCode.PaperBatchPartExists,
                string.Create(CultureInfo.InvariantCulture, $"part {part.Index} of batch {part.Root} is already on chain"));
        var roots = (byte[])record.PartRoots.Clone();
        PaperBatchTree.PartRoot(hasher, part.Leaves).CopyTo(roots.AsSpan(part.Index * Hash32.Size));
        var txIds = (byte[])record.PartTxIds.Clone();
        context.TxId.CopyTo(txIds.AsSpan(part.Index * Hash32.Size));
        state.Put(key, (record with { PartRoots = roots, PartsReceived = record.PartsReceived + 1, PartTxIds = txIds }).Encode());
        return ExecutionResult.Success();
    }

    private static ExecutionResult Seal(TxContext context, PaperBatchSeal seal, PaperBatchRecord? record, byte[] key, IStateStore state, IHasher hasher)
    {
        if (record is null || record.PartsReceived != record.PartCount)
            return ExecutionResult.Reject(ErrorCode.PaperBatchIncomplete,
                string.Create(CultureInfo.InvariantCulture, $"batch {seal.Root}: {record?.PartsReceived ?? 0} of {UploadPaperBatchPayload.PartCount(seal.DocumentCount)} parts are on chain"));
        var root = PaperBatchTree.RootOfParts(hasher, record.AllPartRoots());
        if (root != seal.Root)
            return ExecutionResult.Reject(ErrorCode.PaperBatchRootMismatch, $"the parts on chain make root {root}, not {seal.Root}");
        state.Put(key, (record with { SealTxId = context.TxId, SealedHeight = context.Height, SealedTime = context.BlockTime, ManifestDigest = seal.ManifestDigest }).Encode());
        return ExecutionResult.Success();
    }

    /// <summary>The batch <paramref name="submitter"/> is anchoring under <paramref name="root"/>, or null.</summary>
    public static PaperBatchRecord? Read(IStateStore state, Hash32 submitter, Hash32 root) => Read(state, StateKeys.PaperBatch(submitter, root));

    private static PaperBatchRecord? Read(IStateStore state, byte[] key) => state.Get(key) is { } bytes ? PaperBatchRecord.Decode(bytes) : null;
}
