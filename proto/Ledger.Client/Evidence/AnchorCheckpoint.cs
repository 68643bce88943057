using System.Globalization;
using Ledger.Core;

namespace Ledger.Client.Evidence;

/// <summary>
/// What a proof's external-anchor checkpoint establishes offline: the consortium certified (an ExternalAnchor tx at
/// <see cref="RecordedAt"/>) that block <see cref="CheckpointHeight"/> — which the carried headers show descends from
/// the proof's block — was anchored on EVM chain <see cref="EvmChainId"/> at external block <see cref="ExternalBlock"/>,
/// time <see cref="ExternalTime"/>. That the external chain holds it is for <c>ledger anchor verify</c> to check there.
/// </summary>
public sealed record AnchorCheckpoint(
    ulong CheckpointHeight, Hash32 CheckpointHash, ulong RecordedAt, Hash32 RecordTxId, ulong EvmChainId, string Contract, string TxHash,
    ulong ExternalBlock, string ExternalBlockHash, DateTimeOffset ExternalTime, int LinkHeaders)
{
    /// <summary>The statement the CLI prints: what holds offline, and what needs the external chain.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"this block existed no later than external block {ExternalBlock} ({ExternalTime:u}) of EVM chain {EvmChainId}, contract {Contract}, tx {TxHash} " +
        $"— as our chain recorded it at height {RecordedAt} for checkpoint {CheckpointHeight} (linked by {LinkHeaders} headers); " +
        $"that the external chain holds it is not checked offline: ledger anchor verify --height {CheckpointHeight} --rpc URL --contract {Contract}");
}
