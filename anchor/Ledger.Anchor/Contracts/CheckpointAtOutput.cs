using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Ledger.Anchor.Contracts;

[FunctionOutput]
public sealed class CheckpointAtOutput : IFunctionOutputDTO
{
    [Parameter("bytes32", "blockHash", 1)]
    public byte[] BlockHash { get; set; } = [];

    [Parameter("bytes32", "validatorSetHash", 2)]
    public byte[] ValidatorSetHash { get; set; } = [];

    [Parameter("bytes32", "certificateHash", 3)]
    public byte[] CertificateHash { get; set; } = [];

    [Parameter("uint64", "anchoredAtBlock", 4)]
    public ulong AnchoredAtBlock { get; set; }

    [Parameter("uint64", "anchoredAtTime", 5)]
    public ulong AnchoredAtTime { get; set; }
}
