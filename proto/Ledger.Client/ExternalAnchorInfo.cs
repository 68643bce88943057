using Ledger.Core;
using Ledger.Core.Anchoring;

namespace Ledger.Client;

/// <summary>
/// The external anchor a node found covering a height: what the chain recorded (EVM chain, contract, tx, external block and
/// time, and the checkpoint height it covers, everything at or below it), and the ExternalAnchor tx and block that recorded
/// it. As the node says: <c>ledger anchor verify</c> checks it against the external chain.
/// </summary>
public sealed record ExternalAnchorInfo(ExternalAnchorPayload Anchor, Hash32 RecordTxId, ulong RecordHeight)
{
    /// <summary>The contract's address, 0x and lower-case hex.</summary>
    public string ContractAddress => "0x" + Convert.ToHexStringLower(Anchor.Contract.Span);

    /// <summary>The external anchoring tx's hash, 0x and lower-case hex.</summary>
    public string TxHash => "0x" + Anchor.TxHash.ToHex();

    public DateTimeOffset ExternalTime => DateTimeOffset.FromUnixTimeSeconds(Anchor.ExternalTime);
}
