using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Ledger.Anchor.Contracts;

/// <summary>The contract's <c>AlreadyAnchored(chainId, height)</c> revert: a second write for one height.</summary>
[Error("AlreadyAnchored")]
public sealed class AlreadyAnchoredError
{
    [Parameter("string", "chainId", 1)]
    public string ChainId { get; set; } = "";

    [Parameter("uint64", "height", 2)]
    public ulong Height { get; set; }
}
