using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Ledger.Anchor.Contracts;

/// <summary>The contract's <c>NotWriter(caller)</c> revert: only the writer fixed at deployment may anchor.</summary>
[Error("NotWriter")]
public sealed class NotWriterError
{
    [Parameter("address", "caller", 1)]
    public string Caller { get; set; } = "";
}
