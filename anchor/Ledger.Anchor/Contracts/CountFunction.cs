using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Ledger.Anchor.Contracts;

/// <summary><c>count(chainId)</c>: how many checkpoints of the chain are anchored.</summary>
[Function("count", "uint256")]
public sealed class CountFunction : FunctionMessage
{
    [Parameter("string", "chainId", 1)]
    public string ChainId { get; set; } = "";
}
