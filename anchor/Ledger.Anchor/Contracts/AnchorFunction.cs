using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Ledger.Anchor.Contracts;

/// <summary><c>anchor(chainId, height, blockHash, validatorSetHash, certificateHash)</c>.</summary>
[Function("anchor")]
public sealed class AnchorFunction : FunctionMessage
{
    [Parameter("string", "chainId", 1)]
    public string ChainId { get; set; } = "";

    [Parameter("uint64", "height", 2)]
    public ulong Height { get; set; }

    [Parameter("bytes32", "blockHash", 3)]
    public byte[] BlockHash { get; set; } = [];

    [Parameter("bytes32", "validatorSetHash", 4)]
    public byte[] ValidatorSetHash { get; set; } = [];

    [Parameter("bytes32", "certificateHash", 5)]
    public byte[] CertificateHash { get; set; } = [];

    public static AnchorFunction For(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new AnchorFunction
        {
            ChainId = checkpoint.ChainId,
            Height = checkpoint.Height,
            BlockHash = checkpoint.BlockHash.ToArray(),
            ValidatorSetHash = checkpoint.ValidatorSetHash.ToArray(),
            CertificateHash = checkpoint.CertificateHash.ToArray(),
        };
    }
}
