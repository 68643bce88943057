namespace Ledger.Consensus.Messages;

/// <summary>
/// The domain of a consensus message signature. Its prefix differs from the commit seal's
/// (<c>ledger/commit-seal/v1</c>), so a message signature can never stand in for a seal or a transaction signature.
/// </summary>
public static class MessageSigning
{
    public static ReadOnlySpan<byte> Prefix => "ledger/qbft-message/v1\n"u8;

    /// <summary>The bytes a validator signs: the prefix, then the payload exactly as encoded (never re-encoded).</summary>
    public static byte[] SigningBytes(ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[Prefix.Length + payload.Length];
        Prefix.CopyTo(bytes);
        payload.CopyTo(bytes.AsSpan(Prefix.Length));
        return bytes;
    }
}
