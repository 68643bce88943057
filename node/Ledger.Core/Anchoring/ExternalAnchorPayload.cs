using System.Globalization;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Anchoring;

/// <summary>
/// Where a checkpoint of this chain was anchored on an external EVM chain, recorded back on this chain by the
/// anchoring service once the anchor had its confirmations:
/// <c>ExternalAnchor { height = 1, block_hash = 2, evm_chain_id = 3, contract = 4, tx_hash = 5, external_block = 6,
/// external_block_hash = 7, external_time = 8 }</c>, in <see cref="TxBody"/> payload field <see cref="Field"/>. Only a
/// Bureau certificate submits it (signing the body; no statement), and one per (height, EVM chain, contract).
/// </summary>
public sealed record ExternalAnchorPayload
{
    /// <summary>The TxBody oneof field (16-22 and 25 contract actions, 23 audit anchors, 40-42 access; 48 services around the ledger).</summary>
    public const int Field = 48;

    public const int AddressSize = 20;

    /// <summary>Height of our block whose checkpoint was anchored.</summary>
    public required ulong Height { get; init; }

    /// <summary>That block's hash (SM3 of its header), as anchored.</summary>
    public required Hash32 BlockHash { get; init; }

    /// <summary>The external chain's id (EIP-155).</summary>
    public required ulong EvmChainId { get; init; }

    /// <summary>The Checkpoints contract's 20-byte address.</summary>
    public required ReadOnlyMemory<byte> Contract { get; init; }

    /// <summary>The anchoring tx's hash (Keccak-256, 32 bytes).</summary>
    public required Hash32 TxHash { get; init; }

    public required ulong ExternalBlock { get; init; }

    public required Hash32 ExternalBlockHash { get; init; }

    /// <summary>The external block's timestamp, Unix seconds.</summary>
    public required long ExternalTime { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(200);
        w.WriteUInt64(1, Height);
        w.WriteHash(2, BlockHash);
        w.WriteUInt64(3, EvmChainId);
        w.WriteBytes(4, Contract.Span);
        w.WriteHash(5, TxHash);
        w.WriteUInt64(6, ExternalBlock);
        w.WriteHash(7, ExternalBlockHash);
        w.WriteInt64(8, ExternalTime);
        return w.ToArray();
    }

    public static ExternalAnchorPayload Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EncodingLimits.MaxMessageBytes)
            throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"ExternalAnchor: {bytes.Length} bytes"));
        var r = new ProtoReader(bytes, "ExternalAnchor");
        ulong height = 0, evmChainId = 0, externalBlock = 0;
        long externalTime = 0;
        Hash32? blockHash = null, txHash = null, externalBlockHash = null;
        byte[]? contract = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: height = r.ReadUInt64(); break;
                case 2: blockHash = r.ReadHash(); break;
                case 3: evmChainId = r.ReadUInt64(); break;
                case 4:
                    var address = r.ReadBytes();
                    if (address.Length != AddressSize) throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"ExternalAnchor.contract: {address.Length} bytes, an address has {AddressSize}"));
                    contract = address.ToArray();
                    break;
                case 5: txHash = r.ReadHash(); break;
                case 6: externalBlock = r.ReadUInt64(); break;
                case 7: externalBlockHash = r.ReadHash(); break;
                case 8: externalTime = r.ReadInt64(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new ExternalAnchorPayload
        {
            Height = height != 0 ? height : throw r.Missing("ExternalAnchor.height"),
            BlockHash = blockHash ?? throw r.Missing("ExternalAnchor.block_hash"),
            EvmChainId = evmChainId != 0 ? evmChainId : throw r.Missing("ExternalAnchor.evm_chain_id"),
            Contract = contract ?? throw r.Missing("ExternalAnchor.contract"),
            TxHash = txHash ?? throw r.Missing("ExternalAnchor.tx_hash"),
            ExternalBlock = externalBlock != 0 ? externalBlock : throw r.Missing("ExternalAnchor.external_block"),
            ExternalBlockHash = externalBlockHash ?? throw r.Missing("ExternalAnchor.external_block_hash"),
            ExternalTime = externalTime > 0 ? externalTime : throw r.Missing("ExternalAnchor.external_time"),
        };
    }

    /// <summary>A tx body carrying this record; the submitter (a Bureau certificate) signs its encoding.</summary>
    public TxBody CreateBody(string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId) =>
        TxBody.SubmitterOnly(chainId, nonce, expiresAt, submitterCertificateId, Field, Encode());

    public bool Equals(ExternalAnchorPayload? other) =>
        other is not null && Height == other.Height && BlockHash == other.BlockHash && EvmChainId == other.EvmChainId
        && Contract.Span.SequenceEqual(other.Contract.Span) && TxHash == other.TxHash && ExternalBlock == other.ExternalBlock
        && ExternalBlockHash == other.ExternalBlockHash && ExternalTime == other.ExternalTime;

    public override int GetHashCode() => HashCode.Combine(Height, BlockHash, EvmChainId, TxHash);
}
