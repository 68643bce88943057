using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ledger.Crypto.Transport;

/// <summary>
/// Binds a transport (TLS) certificate to one validator: the certificate carries the validator's genesis name as a
/// URI subject alternative name, <c>urn:ledger:validator:NAME</c> (as SPIFFE ids ride in URI SANs). Only a validator's
/// certificate carries one, so a consortium member's certificate (signer, explorer, a client) from the same transport
/// CA can neither reach the peer service nor pass for a validator, and a validator's certificate passes only for the
/// validator it names.
/// </summary>
public static class ValidatorTransportName
{
    public const string UriPrefix = "urn:ledger:validator:";

    private const string SubjectAltNameOid = "2.5.29.17";

    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The URI naming <paramref name="name"/>; names are genesis validator names (letters, digits, '.', '_', '-').</summary>
    public static Uri ToUri(string name)
    {
        if (!IsValidName(name)) throw new ArgumentException($"'{name}' is not a validator name (letters, digits, '.', '_', '-')", nameof(name));
        return new Uri(UriPrefix + name);
    }

    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>The validator names <paramref name="certificate"/> is bound to (usually one; none for a member's certificate).</summary>
    public static IReadOnlyList<string> Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid) continue;
            try
            {
                var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (sequence.HasData)
                {
                    if (!sequence.PeekTag().HasSameClassAndValue(UriTag))
                    {
                        sequence.ReadEncodedValue();
                        continue;
                    }
                    var uri = sequence.ReadCharacterString(UniversalTagNumber.IA5String, UriTag);
                    if (uri.StartsWith(UriPrefix, StringComparison.Ordinal) && IsValidName(uri[UriPrefix.Length..])) names.Add(uri[UriPrefix.Length..]);
                }
            }
            catch (Exception e) when (e is AsnContentException or CryptographicException)
            {
                // A malformed SAN names nobody.
                return [];
            }
        }
        return names;
    }
}
