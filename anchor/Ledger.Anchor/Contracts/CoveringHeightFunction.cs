using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Ledger.Anchor.Contracts;

/// <summary><c>coveringHeight(chainId, height)</c>: the lowest anchored height at or above it.</summary>
[Function("coveringHeight", typeof(CoveringHeightOutput))]
public sealed class CoveringHeightFunction : FunctionMessage
{
    [Parameter("string", "chainId", 1)]
    public string ChainId { get; set; } = "";

    [Parameter("uint64", "height", 2)]
    public ulong Height { get; set; }
}
