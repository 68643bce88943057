using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Crypto;
using Ledger.Crypto;

namespace Ledger.Storage.Tests.Support;

/// <summary>Certified blocks of opaque txs (the store never parses an envelope), chained to a parent.</summary>
internal static class TestBlocks
{
    public static readonly IHasher Hasher = Sm3Hasher.Instance;

    public static byte[] Tx(ulong height, int index) => Bytes.Utf8($"tx {height}/{index}");

    public static Hash32 TxId(ulong height, int index) => Hasher.Hash(Tx(height, index));

    public static Hash32 HashOf(Block block) => block.Header.ComputeHash(Hasher);

    public static Block Next(Block? parent, int txCount, bool certified = true, ulong? height = null, Hash32? prevHash = null)
    {
        var h = height ?? (parent is null ? 0 : parent.Header.Height + 1);
        var header = new BlockHeader
        {
            Height = h,
            PrevHash = prevHash ?? (parent is null ? Hash32.Zero : HashOf(parent)),
            TxRoot = Hasher.Hash(Bytes.Utf8($"txroot {h}")),
            ReceiptsRoot = Hasher.Hash(Bytes.Utf8($"receipts {h}")),
            StateRoot = Hasher.Hash(Bytes.Utf8($"state {h}")),
            Timestamp = 1_700_000_000_000 + (long)h * 1000,
            Proposer = Hasher.Hash(Bytes.Utf8("proposer")),
            Round = 0,
            ValidatorSetHash = Hasher.Hash(Bytes.Utf8("validators")),
            TxCount = (uint)txCount,
        };
        var txs = Enumerable.Range(0, txCount).Select(i => (ReadOnlyMemory<byte>)Tx(h, i)).ToArray();
        var receipts = Enumerable.Range(0, txCount).Select(i => new Receipt { TxId = TxId(h, i) }).ToArray();
        var commit = certified
            ? new CommitCertificate
            {
                Height = h,
                Round = 0,
                BlockHash = header.ComputeHash(Hasher),
                Seals = [new CommitSeal(Hasher.Hash(Bytes.Utf8("validator")), new byte[64])],
            }
            : null;
        return new Block { Header = header, Transactions = txs, Receipts = receipts, Commit = commit };
    }

    /// <summary>Plain index entries (no contract, no document) for every tx of the block.</summary>
    public static TxIndexEntry[] Index(Block block) =>
        Enumerable.Range(0, block.Transactions.Count).Select(i => new TxIndexEntry(TxId(block.Header.Height, i), i, null, null)).ToArray();
}
