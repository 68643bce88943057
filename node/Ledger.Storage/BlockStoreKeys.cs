using System.Buffers.Binary;
using System.Text;
using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// The block store's key layout, in one place. Every key starts with a one-byte prefix; numbers are
/// big-endian so byte order is numeric order.
/// <list type="bullet">
/// <item>'b' ‖ height(8) → encoded block, with its commit certificate; its txs in stored form (<see cref="StoredTransactions"/>)</item>
/// <item>'x' ‖ SM3 of a certificate(32) → the certificate (DER), once for every tx that carries it</item>
/// <item>'h' ‖ block hash(32) → height(8)</item>
/// <item>'t' ‖ tx id(32) → height(8) ‖ index(4)</item>
/// <item>'d' ‖ document hash(32) ‖ tx id(32) → height(8) ‖ index(4)</item>
/// <item>'p' ‖ bucket(2: the top 12 bits of the document hash) ‖ seal tx id(32) → (document hash(32) ‖ leaf index(4))… for the
/// sealed paper batch's documents in that bucket: a batch of 100,000 writes at most 4,096 keys, not 100,000</item>
/// <item>'c' ‖ UTF-8 contract id ‖ 0x00 ‖ height(8) ‖ index(4) → tx id(32)</item>
/// <item>'s' ‖ state key → state value</item>
/// <item>'n' ‖ node hash(32) → a state tree node (<see cref="StateTree"/>), never removed</item>
/// <item>'m' ‖ "head" → height(8) ‖ block hash(32); 'm' ‖ "txcount" → total txs(8); 'm' ‖ "stateroot" → the state tree's root(32);
/// 'm' ‖ "historyfrom" → the height a state-synced store holds blocks from(8); 'm' ‖ "statesync" → the root a state sync
/// under way fills(32)</item>
/// </list>
/// </summary>
public static class BlockStoreKeys
{
    public const byte Block = (byte)'b';
    public const byte BlockHash = (byte)'h';
    public const byte Transaction = (byte)'t';
    public const byte DocumentHash = (byte)'d';
    public const byte Contract = (byte)'c';
    public const byte BatchDocument = (byte)'p';
    public const byte State = (byte)'s';
    public const byte StateNode = (byte)'n';
    public const byte Meta = (byte)'m';
    public const byte Certificate = (byte)'x';

    public static byte[] StatePrefix => [State];

    public static byte[] Head => [Meta, .. "head"u8];

    public static byte[] TxCount => [Meta, .. "txcount"u8];

    public static byte[] StateRoot => [Meta, .. "stateroot"u8];

    /// <summary>The height a store filled by state sync holds blocks from (absent: every block).</summary>
    public static byte[] HistoryFrom => [Meta, .. "historyfrom"u8];

    /// <summary>While a state sync fills the store: the state root it fills (a node does not start on such a store).</summary>
    public static byte[] StateSync => [Meta, .. "statesync"u8];

    public static byte[] ForStateNode(Hash32 hash) => WithHash(StateNode, hash);

    public static byte[] ForBlock(ulong height)
    {
        var key = new byte[9];
        key[0] = Block;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), height);
        return key;
    }

    public static byte[] ForBlockHash(Hash32 hash) => WithHash(BlockHash, hash);

    public static byte[] ForCertificate(Hash32 hash) => WithHash(Certificate, hash);

    public static byte[] ForTransaction(Hash32 txId) => WithHash(Transaction, txId);

    public static byte[] DocumentPrefix(Hash32 documentHash) => WithHash(DocumentHash, documentHash);

    public static byte[] ForDocument(Hash32 documentHash, Hash32 txId)
    {
        var key = new byte[1 + 2 * Hash32.Size];
        key[0] = DocumentHash;
        documentHash.CopyTo(key.AsSpan(1));
        txId.CopyTo(key.AsSpan(1 + Hash32.Size));
        return key;
    }

    /// <summary>Buckets of the paper-batch index: few enough that a sealed batch writes few keys, enough that a lookup reads little.</summary>
    public const int BatchBuckets = 4096;

    public static ushort BatchBucket(Hash32 documentHash)
    {
        Span<byte> first = stackalloc byte[Hash32.Size];
        documentHash.CopyTo(first);
        return (ushort)((first[0] << 4) | (first[1] >> 4));
    }

    public static byte[] BatchDocumentPrefix(ushort bucket) => [BatchDocument, (byte)(bucket >> 8), (byte)bucket];

    public static byte[] ForBatchDocuments(ushort bucket, Hash32 sealTxId)
    {
        var key = new byte[3 + Hash32.Size];
        key[0] = BatchDocument;
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(1), bucket);
        sealTxId.CopyTo(key.AsSpan(3));
        return key;
    }

    /// <summary>'c' ‖ UTF-8 id ‖ 0x00: the 0x00 ends the id, so "A" never scans into "AB".</summary>
    public static byte[] ContractPrefix(string contractId)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        if (contractId.Length == 0 || contractId.Contains('\0', StringComparison.Ordinal))
            throw new LedgerException(ErrorCode.InvalidContractId, "a contract id is non-empty and has no NUL character");
        var id = Encoding.UTF8.GetBytes(contractId);
        var key = new byte[id.Length + 2];
        key[0] = Contract;
        id.CopyTo(key, 1);
        key[^1] = 0x00;
        return key;
    }

    public static byte[] ForContract(string contractId, ulong height, int index)
    {
        var prefix = ContractPrefix(contractId);
        var key = new byte[prefix.Length + 12];
        prefix.CopyTo(key, 0);
        EncodeLocation(key.AsSpan(prefix.Length), height, index);
        return key;
    }

    public static byte[] Location(ulong height, int index)
    {
        var value = new byte[12];
        EncodeLocation(value, height, index);
        return value;
    }

    public static TxLocation DecodeLocation(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 12) throw new LedgerException(StorageErrors.Corrupt, $"a tx location is 12 bytes, found {bytes.Length}");
        return new TxLocation(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadInt32BigEndian(bytes[8..]));
    }

    public static byte[] Height(ulong height)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, height);
        return value;
    }

    private static void EncodeLocation(Span<byte> destination, ulong height, int index)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, height);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], index);
    }

    private static byte[] WithHash(byte prefix, Hash32 hash)
    {
        var key = new byte[1 + Hash32.Size];
        key[0] = prefix;
        hash.CopyTo(key.AsSpan(1));
        return key;
    }
}
