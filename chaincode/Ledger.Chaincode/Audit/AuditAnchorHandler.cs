using System.Globalization;
using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Audit;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;

namespace Ledger.Chaincode.Audit;

/// <summary>
/// Records a signer service's audit-log head (<see cref="AuditAnchorPayload"/>). Only a Bureau certificate may
/// anchor (the signer runs under its bureau's name); the head is kept per submitting key, and a sequence that does
/// not advance past the one on record is refused, so an anchored head can never be replaced by an older or a
/// rewritten one.
/// </summary>
public static class AuditAnchorHandler
{
    public static ExecutionResult Execute(TxContext context, AuditAnchorPayload anchor, IStateStore state)
    {
        if (context.Submitter.Role != Role.Bureau || context.Submitter.CertificateId is null)
            return ExecutionResult.Reject(ErrorCode.AnchorRoleNotAllowed,
                string.Create(CultureInfo.InvariantCulture, $"only a Bureau certificate may anchor an audit head, not {context.Submitter.Role}"));
        var key = StateKeys.AuditAnchor(context.Submitter.KeyId);
        var previous = state.Get(key) is { } bytes ? AuditAnchorRecord.Decode(bytes) : null;
        if (previous is not null && anchor.Sequence <= previous.Sequence)
            return ExecutionResult.Reject(ErrorCode.AnchorNotAdvancing,
                string.Create(CultureInfo.InvariantCulture, $"audit head {anchor.Sequence} does not advance past the anchored {previous.Sequence}"));
        state.Put(key, new AuditAnchorRecord(anchor.Sequence, anchor.HeadHash, context.Height, context.BlockTime).Encode());
        return ExecutionResult.Success();
    }

    /// <summary>The latest head anchored by the key <paramref name="signerKeyId"/>, or null.</summary>
    public static AuditAnchorRecord? Latest(IStateStore state, Hash32 signerKeyId) =>
        state.Get(StateKeys.AuditAnchor(signerKeyId)) is { } bytes ? AuditAnchorRecord.Decode(bytes) : null;
}
