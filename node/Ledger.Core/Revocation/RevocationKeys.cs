namespace Ledger.Core.Revocation;

/// <summary>
/// The chain's revocation entries in the world state (the chain owns prefixes below 0x10, the chaincode 0x10 and up):
/// <list type="bullet">
/// <item>0x03 ‖ CA certificate id → the thisUpdate (unix ms, 8 bytes big-endian) of the newest CRL that CA published on chain;</item>
/// <item>0x04 ‖ CA certificate id ‖ serial (DER INTEGER content) → <see cref="RevocationRecord"/> of that CA's certificate.</item>
/// </list>
/// A certificate is named by its issuer's certificate id and its serial, as a CRL names it; a verifier derives the key
/// from the certificate and the CA it chains to (docs/proof-format.md §2, revocation).
/// </summary>
public static class RevocationKeys
{
    public const byte CrlHeadPrefix = 0x03;
    public const byte RevokedPrefix = 0x04;

    public static byte[] CrlHead(Hash32 caId)
    {
        var key = new byte[1 + Hash32.Size];
        key[0] = CrlHeadPrefix;
        caId.CopyTo(key.AsSpan(1));
        return key;
    }

    public static byte[] Revoked(Hash32 caId, ReadOnlySpan<byte> serial)
    {
        var key = new byte[1 + Hash32.Size + serial.Length];
        key[0] = RevokedPrefix;
        caId.CopyTo(key.AsSpan(1));
        serial.CopyTo(key.AsSpan(1 + Hash32.Size));
        return key;
    }
}
