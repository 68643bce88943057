using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Ledger.Network;

/// <summary>The signed transcript of the Connect handshake (see peer_service.proto).</summary>
internal static class Handshake
{
    public const int NonceSize = 32;

    /// <summary>Largest certificate or signature accepted in a Hello.</summary>
    public const int MaxCertificateBytes = 16 * 1024;

    public const int MaxSignatureBytes = 1024;

    private static readonly byte[] DialerDomain = "ledger/v1/peer-handshake/dialer\0"u8.ToArray();
    private static readonly byte[] ServerDomain = "ledger/v1/peer-handshake/server\0"u8.ToArray();

    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceSize);

    /// <summary>domain ‖ u32be(len(chain id)) ‖ chain id ‖ server nonce ‖ dialer nonce.</summary>
    public static byte[] Transcript(bool dialer, string chainId, ReadOnlySpan<byte> serverNonce, ReadOnlySpan<byte> dialerNonce)
    {
        if (serverNonce.Length != NonceSize || dialerNonce.Length != NonceSize) throw new ArgumentException("a handshake nonce is 32 bytes");
        var domain = dialer ? DialerDomain : ServerDomain;
        var chain = Encoding.UTF8.GetBytes(chainId);
        var bytes = new byte[domain.Length + 4 + chain.Length + 2 * NonceSize];
        var span = bytes.AsSpan();
        domain.CopyTo(span);
        span = span[domain.Length..];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)chain.Length);
        chain.CopyTo(span[4..]);
        span = span[(4 + chain.Length)..];
        serverNonce.CopyTo(span);
        dialerNonce.CopyTo(span[NonceSize..]);
        return bytes;
    }
}
