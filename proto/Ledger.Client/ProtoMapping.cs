using Google.Protobuf;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Transactions;

namespace Ledger.Client;

/// <summary>Wire messages to SDK types: every byte a node sends is decoded by Ledger.Core, strictly.</summary>
internal static class ProtoMapping
{
    public static ByteString Bytes(Hash32 hash) => UnsafeByteOperations.UnsafeWrap(hash.ToArray());

    public static Hash32 Hash(ByteString bytes, string field) =>
        bytes.Length == Hash32.Size ? new Hash32(bytes.Span) : throw new LedgerException(ErrorCode.InvalidFieldValue, $"node sent {field} of {bytes.Length} bytes");

    public static TxStatus ToTxStatus(Proto.V1.CommittedTransaction tx) => new(
        Hash(tx.TxId, "tx_id"),
        (Core.Transactions.ContractAction)tx.Action,
        (ErrorCode)tx.ReceiptCode,
        tx.Height,
        Hash(tx.BlockHash, "block_hash"),
        DateTimeOffset.FromUnixTimeMilliseconds(tx.BlockTime),
        (Core.Contracts.ContractStatus)tx.ContractStatus);

    public static CommittedTx ToCommittedTx(Proto.V1.CommittedTransaction tx)
    {
        if (tx.Redacted)
            throw new LedgerClientException(Grpc.Core.StatusCode.PermissionDenied, ErrorCode.OutsideReadScope,
                $"OutsideReadScope: tx {tx.TxId.ToBase64()} is outside the caller's read scope; only its public view was sent", null);
        var envelopeBytes = tx.Envelope.ToByteArray();
        var envelope = TxEnvelope.Decode(envelopeBytes);
        var txId = Hash(tx.TxId, "tx_id");
        if (envelope.ComputeId(Crypto.Sm3Hasher.Instance) != txId)
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"node sent an envelope whose id is not {txId}");
        return new CommittedTx(
            txId,
            envelopeBytes,
            envelope,
            Receipt.Decode(tx.Receipt.Span),
            tx.Height,
            checked((int)tx.Index),
            Hash(tx.BlockHash, "block_hash"),
            DateTimeOffset.FromUnixTimeMilliseconds(tx.BlockTime));
    }

    public static ChainStatus ToChainStatus(Proto.V1.ChainInfo info) => new(
        info.ChainId,
        info.Height,
        Hash(info.HeadHash, "head_hash"),
        DateTimeOffset.FromUnixTimeMilliseconds(info.HeadTimestamp),
        info.TotalTransactions,
        checked((int)info.MempoolCount),
        info.MempoolBytes,
        checked((int)info.Validators),
        info.NodeName)
    {
        HistoryFrom = info.HistoryFrom,
    };
}
