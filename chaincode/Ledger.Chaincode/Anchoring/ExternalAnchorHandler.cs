using System.Globalization;
using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Anchoring;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;

namespace Ledger.Chaincode.Anchoring;

/// <summary>
/// Records where a checkpoint was anchored on an external chain (<see cref="ExternalAnchorPayload"/>). Only a Bureau
/// certificate may record one (the anchoring service runs under a bureau's name); one record per (height, EVM chain,
/// contract), never replaced; the height must be below the recording block's. Whether the block hash is this chain's
/// at that height is not the chaincode's to know (its inputs are the tx, the block's height and time, and state):
/// <c>ledger anchor verify</c> checks that against the certified header.
/// </summary>
public static class ExternalAnchorHandler
{
    public static ExecutionResult Execute(TxContext context, ExternalAnchorPayload anchor, IStateStore state)
    {
        if (context.Submitter.Role != Role.Bureau || context.Submitter.CertificateId is null)
            return ExecutionResult.Reject(ErrorCode.AnchorRoleNotAllowed,
                string.Create(CultureInfo.InvariantCulture, $"only a Bureau certificate may record an external anchor, not {context.Submitter.Role}"));
        if (anchor.Height >= context.Height)
            return ExecutionResult.Reject(ErrorCode.ExternalAnchorAhead,
                string.Create(CultureInfo.InvariantCulture, $"checkpoint {anchor.Height} is not below the recording block {context.Height}"));
        var key = StateKeys.ExternalAnchor(anchor.Height, anchor.EvmChainId, anchor.Contract.Span);
        if (state.Get(key) is not null)
            return ExecutionResult.Reject(ErrorCode.ExternalAnchorExists,
                string.Create(CultureInfo.InvariantCulture, $"the anchor of checkpoint {anchor.Height} on EVM chain {anchor.EvmChainId} is already recorded"));
        state.Put(key, anchor.Encode());
        return ExecutionResult.Success();
    }

    /// <summary>The recorded anchor of a checkpoint on an external chain's contract, or null.</summary>
    public static ExternalAnchorPayload? Recorded(IStateStore state, ulong height, ulong evmChainId, ReadOnlySpan<byte> contract) =>
        state.Get(StateKeys.ExternalAnchor(height, evmChainId, contract)) is { } bytes ? ExternalAnchorPayload.Decode(bytes) : null;
}
