namespace Ledger.Crypto;

/// <summary>SM2 (GB/T 32918, curve sm2p256v1) constants shared by keys, verifiers and certificates.</summary>
public static class Sm2
{
    /// <summary>The default signer ID of GM/T 0009-2012 §10 ("1234567812345678"), used when no ID is given.</summary>
    public static ReadOnlySpan<byte> DefaultSignerId => "1234567812345678"u8;

    /// <summary>ENTL is a 16-bit count of ID bits, so an ID is at most 8191 bytes.</summary>
    public const int MaxSignerIdLength = 8191;

    public const int PublicKeySize = 65;
    public const int PrivateKeySize = 32;

    /// <summary>Treats an empty ID as "not given": the default ID. Any other ID is used exactly as passed.</summary>
    internal static ReadOnlySpan<byte> EffectiveId(ReadOnlySpan<byte> signerId) => signerId.IsEmpty ? DefaultSignerId : signerId;
}
