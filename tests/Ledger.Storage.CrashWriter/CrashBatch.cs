using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Ledger.Storage.CrashWriter;

/// <summary>
/// The content of batch N, computed the same way by the writer and by the test that checks it: 50 keys
/// 'k' ‖ N ‖ i with values derived from (N, i), a large value under "big" overwritten by every batch (so it
/// is chunked and rewritten under the kills too), and "last" = N.
/// </summary>
internal static class CrashBatch
{
    public const int KeysPerBatch = 50;

    public static readonly byte[] LastKey = "mlast"u8.ToArray();
    public static readonly byte[] BigKey = "mbig"u8.ToArray();
    public static readonly byte[] KeyPrefix = "k"u8.ToArray();

    public static byte[] Key(long batch, int index)
    {
        var key = new byte[1 + 8 + 2];
        key[0] = KeyPrefix[0];
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(1), batch);
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(9), (short)index);
        return key;
    }

    /// <summary>100 to 400 bytes, different for every (batch, index).</summary>
    public static byte[] Value(long batch, int index) => Bytes(batch, index, 100 + (int)((batch * 31 + index * 7) % 301));

    public static byte[] BigValue(long batch) => Bytes(batch, -1, 5000 + (int)(batch % 1000));

    public static long Last(byte[]? value) => value is null ? -1 : BinaryPrimitives.ReadInt64BigEndian(value);

    public static WriteBatch Build(long batch)
    {
        var write = new WriteBatch();
        for (var i = 0; i < KeysPerBatch; i++) write.Put(Key(batch, i), Value(batch, i));
        write.Put(BigKey, BigValue(batch));
        var last = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(last, batch);
        write.Put(LastKey, last);
        return write;
    }

    private static byte[] Bytes(long batch, int index, int length)
    {
        Span<byte> seed = stackalloc byte[12];
        BinaryPrimitives.WriteInt64BigEndian(seed, batch);
        BinaryPrimitives.WriteInt32BigEndian(seed[8..], index);
        var block = SHA256.HashData(seed);
        var value = new byte[length];
        for (var i = 0; i < length; i++) value[i] = (byte)(block[i % block.Length] + i / block.Length);
        return value;
    }
}
