using Ledger.Core;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Ledger.Crypto;

/// <summary>
/// SM4 in GCM mode (RFC 8998 §3.1: 12-byte nonce, 16-byte tag appended to the ciphertext). A nonce must
/// never be reused with the same key; callers draw a random one per message.
/// </summary>
public static class Sm4Gcm
{
    public const int NonceSize = 12;
    public const int TagSize = 16;

    public static byte[] Encrypt(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> nonce12, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        var cipher = Create(true, key16, nonce12, aad);
        var output = new byte[cipher.GetOutputSize(plaintext.Length)];
        var written = cipher.ProcessBytes(plaintext, output);
        written += cipher.DoFinal(output.AsSpan(written));
        return written == output.Length ? output : output[..written];
    }

    /// <summary>Decrypts and checks the tag; a wrong key, nonce, AAD or any altered byte throws <see cref="LedgerException"/> (<see cref="ErrorCode.DecryptionFailed"/>).</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> nonce12, ReadOnlySpan<byte> ciphertextWithTag, ReadOnlySpan<byte> aad)
    {
        if (ciphertextWithTag.Length < TagSize)
            throw new LedgerException(ErrorCode.DecryptionFailed, $"SM4-GCM ciphertext is shorter than its {TagSize}-byte tag");
        var cipher = Create(false, key16, nonce12, aad);
        var output = new byte[cipher.GetOutputSize(ciphertextWithTag.Length)];
        try
        {
            var written = cipher.ProcessBytes(ciphertextWithTag, output);
            written += cipher.DoFinal(output.AsSpan(written));
            return written == output.Length ? output : output[..written];
        }
        catch (InvalidCipherTextException e)
        {
            Array.Clear(output);
            throw new LedgerException(ErrorCode.DecryptionFailed, "SM4-GCM authentication failed: wrong key or altered data", e);
        }
    }

    private static GcmBlockCipher Create(bool encrypt, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad)
    {
        Sm4.RequireLength(key, Sm4.KeySize, "SM4-GCM key");
        Sm4.RequireLength(nonce, NonceSize, "SM4-GCM nonce");
        var cipher = new GcmBlockCipher(new SM4Engine());
        cipher.Init(encrypt, new AeadParameters(new KeyParameter(key), TagSize * 8, nonce.ToArray(), aad.ToArray()));
        return cipher;
    }
}
