using Ledger.Core.Wire;
using Ledger.Core.Transactions;

namespace Ledger.Core.Blocks;

/// <summary>
/// <c>Block { header = 1, repeated txs = 2 (envelope bytes as received), repeated receipts = 3, commit = 4 }</c>.
/// The commit certificate is absent while the block is only proposed.
/// </summary>
public sealed class Block
{
    public required BlockHeader Header { get; init; }

    /// <summary>Encoded <see cref="TxEnvelope"/>s, exactly as admitted.</summary>
    public required IReadOnlyList<ReadOnlyMemory<byte>> Transactions { get; init; }

    public required IReadOnlyList<Receipt> Receipts { get; init; }

    public CommitCertificate? Commit { get; init; }

    public byte[] Encode()
    {
        var size = 512 + Transactions.Sum(t => t.Length + 4) + Receipts.Count * 64;
        var w = new ProtoWriter(size);
        w.WriteLengthDelimited(1, Header.Encode());
        foreach (var tx in Transactions) w.WriteLengthDelimited(2, tx.Span);
        foreach (var receipt in Receipts) w.WriteLengthDelimited(3, receipt.Encode());
        if (Commit is not null) w.WriteLengthDelimited(4, Commit.Encode());
        return w.ToArray();
    }

    public static Block Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EncodingLimits.MaxBlockBytes)
            throw new LedgerException(ErrorCode.Oversize, $"Block: {bytes.Length} bytes, at most {EncodingLimits.MaxBlockBytes}");
        var r = new ProtoReader(bytes, "Block", 2, 3);
        BlockHeader? header = null;
        var txs = new List<ReadOnlyMemory<byte>>();
        var receipts = new List<Receipt>();
        CommitCertificate? commit = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: header = BlockHeader.Decode(r.ReadLengthDelimited()); break;
                case 2:
                    if (txs.Count == EncodingLimits.MaxTxsPerBlock) throw new LedgerException(ErrorCode.Oversize, "Block: too many transactions");
                    var tx = r.ReadLengthDelimited();
                    if (tx.Length > EncodingLimits.MaxTxBytes) throw new LedgerException(ErrorCode.Oversize, $"Block: a tx of {tx.Length} bytes");
                    txs.Add(tx.ToArray());
                    break;
                case 3:
                    if (receipts.Count == EncodingLimits.MaxTxsPerBlock) throw new LedgerException(ErrorCode.Oversize, "Block: too many receipts");
                    receipts.Add(Receipt.Decode(r.ReadLengthDelimited()));
                    break;
                case 4: commit = CommitCertificate.Decode(r.ReadLengthDelimited()); break;
                default: throw r.UnknownField(field);
            }
        }
        if (header is null) throw r.Missing("Block.header");
        if (receipts.Count != txs.Count) throw r.Invalid($"Block: {txs.Count} transactions but {receipts.Count} receipts");
        if (header.TxCount != txs.Count) throw r.Invalid($"Block: the header counts {header.TxCount} transactions, the block has {txs.Count}");
        return new Block { Header = header, Transactions = txs, Receipts = receipts, Commit = commit };
    }
}
