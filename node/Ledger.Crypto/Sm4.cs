using Ledger.Core;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace Ledger.Crypto;

/// <summary>The raw SM4 block cipher (GB/T 32907-2016): one 16-byte block, for known-answer tests. Use <see cref="Sm4Gcm"/> for data.</summary>
public static class Sm4
{
    public const int KeySize = 16;
    public const int BlockSize = 16;

    public static byte[] EncryptBlock(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> block16) => Process(true, key16, block16);

    public static byte[] DecryptBlock(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> block16) => Process(false, key16, block16);

    private static byte[] Process(bool encrypt, ReadOnlySpan<byte> key, ReadOnlySpan<byte> block)
    {
        RequireLength(key, KeySize, "SM4 key");
        RequireLength(block, BlockSize, "SM4 block");
        var engine = new SM4Engine();
        engine.Init(encrypt, new KeyParameter(key));
        var output = new byte[BlockSize];
        engine.ProcessBlock(block, output);
        return output;
    }

    internal static void RequireLength(ReadOnlySpan<byte> value, int length, string what)
    {
        if (value.Length != length)
            throw new LedgerException(ErrorCode.InvalidCryptoParameter, $"{what} must be {length} bytes, got {value.Length}");
    }
}
