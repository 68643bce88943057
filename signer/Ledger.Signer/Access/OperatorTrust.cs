using Ledger.Core;
using Ledger.Crypto.Certificates;

namespace Ledger.Signer.Access;

/// <summary>
/// Whether a certificate is one of this city's operators at a moment, as both the signer (for the operator's calls) and the
/// CA process (for the operator's enrolment authorisations) decide it on their own: issued by this city CA (not the root:
/// another city's operator is not one), within its validity period and the CA's, inside the CA's division, not revoked by
/// a CRL of that CA, and not the signer's own service certificate. The role is checked by the caller. Thread-safe.
/// </summary>
public sealed class OperatorTrust
{
    private readonly LedgerCertificate _ca;
    private readonly CertificateRevocationList[] _crls;
    private readonly Hash32? _excluded;

    /// <param name="excluded">a certificate that is never an operator (the signer's own service certificate)</param>
    public OperatorTrust(LedgerCertificate ca, IEnumerable<CertificateRevocationList> crls, LedgerCertificate? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(crls);
        _ca = ca;
        _crls = [.. crls];
        foreach (var crl in _crls)
        {
            var signed = crl.VerifyIssuedBy(ca);
            if (!signed.IsValid)
                throw new LedgerException(ErrorCode.InvalidCrl, $"a CRL in crlFiles is not this city CA's ({crl.Issuer}): {signed.Reason}");
        }
        _excluded = excluded?.Id;
    }

    public LedgerCertificate Ca => _ca;

    public ValidationResult Check(LedgerCertificate certificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var issued = certificate.VerifyIssuedBy(_ca);
        if (!issued.IsValid)
            return ValidationResult.Fail(ErrorCode.UntrustedCertificate,
                $"{certificate.Subject} is not from this city's CA {_ca.Subject} (an operator of this bureau enrols here): {issued.Reason}");
        if (_excluded == certificate.Id)
            return ValidationResult.Fail(ErrorCode.WrongCertificateRole, "the signer's own service certificate names no operator");
        foreach (var link in new[] { certificate, _ca })
        {
            if (at < link.NotBefore) return ValidationResult.Fail(ErrorCode.CertificateNotYetValid, $"{link.Subject} is not valid before {link.NotBefore:u}");
            if (at > link.NotAfter) return ValidationResult.Fail(ErrorCode.CertificateExpired, $"{link.Subject} expired at {link.NotAfter:u}");
        }
        if (!_ca.Division.Contains(certificate.Division))
            return ValidationResult.Fail(ErrorCode.InvalidDivisionCode, $"{certificate.Subject} is for division {certificate.Division}, outside {_ca.Division}");
        foreach (var crl in _crls)
            if (crl.TryGetRevocation(certificate.SerialNumberHex, out var revokedAt) && revokedAt <= at)
                return ValidationResult.Fail(ErrorCode.CertificateRevoked, $"{certificate.Subject} (serial {certificate.SerialNumberHex}) was revoked at {revokedAt:u}");
        return ValidationResult.Valid;
    }
}
