namespace Ledger.Core.Crypto;

/// <summary>Verifies an SM2 signature (DER) by a public key (65-byte uncompressed point) over a message, for a signer ID.</summary>
public interface ISignatureVerifier
{
    bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> signerId);
}
