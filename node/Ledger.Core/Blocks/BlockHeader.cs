using Ledger.Core.Crypto;
using Ledger.Core.Wire;

namespace Ledger.Core.Blocks;

/// <summary>
/// <c>BlockHeader { height = 1, prev_hash = 2, tx_root = 3, receipts_root = 4, state_root = 5, timestamp = 6,
/// proposer = 7, round = 8, validator_set_hash = 9, tx_count = 10 }</c>. The block hash is the SM3 of this encoding;
/// the tx count makes a Merkle proof's tree size part of what the seals cover.
/// </summary>
public sealed record BlockHeader
{
    public required ulong Height { get; init; }
    public required Hash32 PrevHash { get; init; }
    public required Hash32 TxRoot { get; init; }
    public required Hash32 ReceiptsRoot { get; init; }
    public required Hash32 StateRoot { get; init; }

    /// <summary>Unix milliseconds, set by the proposer.</summary>
    public required long Timestamp { get; init; }

    /// <summary>Id of the proposing validator's certificate (zero for genesis).</summary>
    public required Hash32 Proposer { get; init; }

    public required uint Round { get; init; }
    public required Hash32 ValidatorSetHash { get; init; }

    /// <summary>Transactions in the block (and receipts: one each).</summary>
    public uint TxCount { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(256);
        w.WriteUInt64(1, Height);
        w.WriteHash(2, PrevHash);
        w.WriteHash(3, TxRoot);
        w.WriteHash(4, ReceiptsRoot);
        w.WriteHash(5, StateRoot);
        w.WriteInt64(6, Timestamp);
        w.WriteHash(7, Proposer);
        w.WriteUInt32(8, Round);
        w.WriteHash(9, ValidatorSetHash);
        w.WriteUInt32(10, TxCount);
        return w.ToArray();
    }

    public Hash32 ComputeHash(IHasher hasher) => hasher.Hash(Encode());

    public static BlockHeader Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EncodingLimits.MaxHeaderBytes)
            throw new LedgerException(ErrorCode.Oversize, $"BlockHeader: {bytes.Length} bytes");
        var r = new ProtoReader(bytes, "BlockHeader");
        ulong height = 0;
        Hash32? prev = null, txRoot = null, receiptsRoot = null, stateRoot = null, proposer = null, validatorSet = null;
        long timestamp = 0;
        uint round = 0, txCount = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: height = r.ReadUInt64(); break;
                case 2: prev = r.ReadHash(); break;
                case 3: txRoot = r.ReadHash(); break;
                case 4: receiptsRoot = r.ReadHash(); break;
                case 5: stateRoot = r.ReadHash(); break;
                case 6: timestamp = r.ReadInt64(); break;
                case 7: proposer = r.ReadHash(); break;
                case 8: round = r.ReadUInt32(); break;
                case 9: validatorSet = r.ReadHash(); break;
                case 10: txCount = r.ReadUInt32(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new BlockHeader
        {
            Height = height,
            PrevHash = prev ?? throw r.Missing("BlockHeader.prev_hash"),
            TxRoot = txRoot ?? throw r.Missing("BlockHeader.tx_root"),
            ReceiptsRoot = receiptsRoot ?? throw r.Missing("BlockHeader.receipts_root"),
            StateRoot = stateRoot ?? throw r.Missing("BlockHeader.state_root"),
            Timestamp = timestamp,
            Proposer = proposer ?? throw r.Missing("BlockHeader.proposer"),
            Round = round,
            ValidatorSetHash = validatorSet ?? throw r.Missing("BlockHeader.validator_set_hash"),
            TxCount = txCount,
        };
    }
}
