using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Ledger.Anchor.Contracts;

/// <summary><c>checkpointAt(chainId, height)</c>: all zero when nothing is anchored at that height.</summary>
[Function("checkpointAt", typeof(CheckpointAtOutput))]
public sealed class CheckpointAtFunction : FunctionMessage
{
    [Parameter("string", "chainId", 1)]
    public string ChainId { get; set; } = "";

    [Parameter("uint64", "height", 2)]
    public ulong Height { get; set; }
}
