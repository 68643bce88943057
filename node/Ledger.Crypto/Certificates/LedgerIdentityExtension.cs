using Ledger.Core;
using Ledger.Core.Identity;
using Org.BouncyCastle.Asn1;

namespace Ledger.Crypto.Certificates;

/// <summary>
/// The ledger's private certificate extension, non-critical:
/// <code>
/// LedgerIdentity ::= SEQUENCE {
///     role        INTEGER,           -- Ledger.Core.Identity.Role, values never renumbered
///     division    PrintableString,   -- 12-digit statistical division code
///     creditCode  PrintableString OPTIONAL,   -- GB 32100 unified social credit code (employers)
///     pseudonym   OCTET STRING (SIZE (32)) OPTIONAL }  -- a worker's stable pseudonym (Worker certificates, required there)
/// </code>
/// The OID sits under a UUID arc (ITU-T X.667 / RFC 4122 §A: 2.25.&lt;UUID as an integer&gt;), which needs no
/// registration and cannot collide with anyone else's: UUID 3ddd0e98-e9e8-4a42-9c5a-15659e2d8891 was
/// generated for this project, and arc .1 under it is this extension. Further ledger OIDs take .2, .3, ...
/// </summary>
internal static class LedgerIdentityExtension
{
    public const string Arc = "2.25.82230701417422047206997896990049536145";

    public static readonly DerObjectIdentifier Oid = new(Arc + ".1");

    /// <summary>organizationIdentifier (X.520, 2.5.4.97), holding "NTRCN-" + credit code as ETSI EN 319 412-1 §5.1.4 lays it out.</summary>
    public static readonly DerObjectIdentifier OrganizationIdentifier = new("2.5.4.97");

    public const string OrganizationIdentifierPrefix = "NTRCN-";

    public static Asn1Encodable Encode(Role role, DivisionCode division, CreditCode? creditCode, Hash32? pseudonym = null)
    {
        var fields = new Asn1EncodableVector(DerInteger.ValueOf((int)role), new DerPrintableString(division.Value));
        if (creditCode is { } code) fields.Add(new DerPrintableString(code.Value));
        if (pseudonym is { } p) fields.Add(new DerOctetString(p.ToArray()));
        return new DerSequence(fields);
    }

    public static (Role Role, DivisionCode Division, CreditCode? CreditCode, Hash32? Pseudonym) Decode(Asn1OctetString value)
    {
        Asn1Sequence sequence;
        try
        {
            sequence = Asn1Sequence.GetInstance(Asn1Failure.ParseDer(value.GetOctets()));
        }
        catch (Exception e) when (Asn1Failure.IsParseFailure(e))
        {
            throw new LedgerException(ErrorCode.InvalidCertificate, "ledger identity extension is not a DER SEQUENCE", e);
        }
        if (sequence.Count is < 2 or > 3)
            throw new LedgerException(ErrorCode.InvalidCertificate, "ledger identity extension must hold role, division and an optional credit code or worker pseudonym");
        if (sequence[0] is not DerInteger roleValue || roleValue.Value.SignValue < 0 || roleValue.Value.BitLength > 16)
            throw new LedgerException(ErrorCode.InvalidCertificate, "ledger identity extension role is not a small INTEGER");
        var role = (Role)roleValue.IntValueExact;
        if (!Enum.IsDefined(role) || role == Role.Unknown)
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"certificate role {(int)role} is not a known role");
        if (sequence[1] is not DerPrintableString divisionText || !DivisionCode.TryParse(divisionText.GetString(), out var division) || divisionText.GetString().Length != 12)
            throw new LedgerException(ErrorCode.InvalidDivisionCode, "certificate division is not a valid 12-digit division code");
        CreditCode? creditCode = null;
        Hash32? pseudonym = null;
        if (sequence.Count == 3 && sequence[2] is DerOctetString pseudonymValue)
        {
            var bytes = pseudonymValue.GetOctets();
            if (bytes.Length != Hash32.Size)
                throw new LedgerException(ErrorCode.InvalidCertificate, "a worker pseudonym is 32 bytes");
            pseudonym = new Hash32(bytes);
        }
        else if (sequence.Count == 3)
        {
            if (sequence[2] is not DerPrintableString creditText || !CreditCode.TryParse(creditText.GetString(), out var code))
                throw new LedgerException(ErrorCode.InvalidCreditCode, "certificate credit code is not a valid unified social credit code");
            creditCode = code;
        }
        // A Worker certificate names its holder by pseudonym and by nothing else; no other role carries one.
        if ((role == Role.Worker) != (pseudonym is not null))
            throw new LedgerException(ErrorCode.WrongCertificateRole,
                role == Role.Worker ? "a Worker certificate must carry the worker's pseudonym" : $"a {role} certificate cannot carry a worker pseudonym");
        return (role, division, creditCode, pseudonym);
    }
}
