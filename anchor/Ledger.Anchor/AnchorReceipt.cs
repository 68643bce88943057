namespace Ledger.Anchor;

/// <summary>
/// A confirmed anchor: where the checkpoint of <see cref="Height"/> sits on the external chain. What an
/// <c>ExternalAnchor</c> tx would record on our chain.
/// </summary>
public sealed record AnchorReceipt(
    ulong Height,
    string BlockHash,
    ulong EvmChainId,
    string Contract,
    string TxHash,
    ulong ExternalBlock,
    string ExternalBlockHash,
    DateTimeOffset ExternalTime,
    ulong GasUsed);
