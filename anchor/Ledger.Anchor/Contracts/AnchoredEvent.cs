using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Ledger.Anchor.Contracts;

/// <summary>The contract's <c>Anchored</c> event, one per checkpoint.</summary>
[Event("Anchored")]
public sealed class AnchoredEvent : IEventDTO
{
    [Parameter("bytes32", "chainKey", 1, true)]
    public byte[] ChainKey { get; set; } = [];

    [Parameter("uint64", "height", 2, true)]
    public ulong Height { get; set; }

    [Parameter("bytes32", "blockHash", 3, false)]
    public byte[] BlockHash { get; set; } = [];

    [Parameter("bytes32", "validatorSetHash", 4, false)]
    public byte[] ValidatorSetHash { get; set; } = [];

    [Parameter("bytes32", "certificateHash", 5, false)]
    public byte[] CertificateHash { get; set; } = [];

    [Parameter("string", "chainId", 6, false)]
    public string ChainId { get; set; } = "";
}
