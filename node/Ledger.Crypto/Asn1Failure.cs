namespace Ledger.Crypto;

/// <summary>
/// Which exceptions from BouncyCastle's ASN.1 parsers mean "these bytes are not what they claim to be". The
/// parsers signal malformed input with a spread of types (including a null result on empty input, surfacing as
/// NullReferenceException), so public parse methods catch all of them and rethrow a typed LedgerException.
/// </summary>
internal static class Asn1Failure
{
    public static bool IsParseFailure(Exception e) =>
        e is not (Ledger.Core.LedgerException or OutOfMemoryException or StackOverflowException or OperationCanceledException);

    /// <summary>One DER object; never null (BouncyCastle returns null for empty input).</summary>
    public static Org.BouncyCastle.Asn1.Asn1Object ParseDer(byte[] der) =>
        Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(der) ?? throw new IOException("empty ASN.1 input");
}
