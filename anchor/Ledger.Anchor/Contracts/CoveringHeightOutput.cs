using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Ledger.Anchor.Contracts;

[FunctionOutput]
public sealed class CoveringHeightOutput : IFunctionOutputDTO
{
    [Parameter("bool", "found", 1)]
    public bool Found { get; set; }

    [Parameter("uint64", "anchored", 2)]
    public ulong Anchored { get; set; }
}
