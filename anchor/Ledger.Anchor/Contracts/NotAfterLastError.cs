using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Ledger.Anchor.Contracts;

/// <summary>The contract's <c>NotAfterLast(chainId, height, last)</c> revert: checkpoints go in increasing height.</summary>
[Error("NotAfterLast")]
public sealed class NotAfterLastError
{
    [Parameter("string", "chainId", 1)]
    public string ChainId { get; set; } = "";

    [Parameter("uint64", "height", 2)]
    public ulong Height { get; set; }

    [Parameter("uint64", "last", 3)]
    public ulong Last { get; set; }
}
