using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto.Certificates;

namespace Ledger.Signer.Access;

/// <summary>A bureau operator whose signed call checked: who enrols, or who reads the whole audit log.</summary>
public sealed class Operator
{
    internal Operator(LedgerCertificate certificate) => Certificate = certificate;

    public LedgerCertificate Certificate { get; }

    public Hash32 CertificateId => Certificate.Id;

    public string Subject => Certificate.Subject;

    public override string ToString() => $"{Certificate.CommonName} ({CertificateId})";
}

/// <summary>
/// Who may enrol holders and read the bureau's audit log at this signer: a caller whose call is signed
/// (<see cref="CallAuthentication"/>, checked by the shared <see cref="SignedCallVerifier"/>) with a Bureau certificate
/// issued by this signer's own city CA, within its validity period and the CA's, inside the CA's division, not revoked by
/// a CRL of that CA the config names, and not the signer's own service certificate (which names no person). The signer
/// holds its city CA's certificate only, not the root's: an operator of another city's bureau is not one of its
/// operators. Thread-safe.
/// </summary>
public sealed class OperatorAuthenticator
{
    private static readonly IReadOnlySet<Role> OperatorRoles = new HashSet<Role> { Role.Bureau };

    private readonly LedgerCertificate _ca;
    private readonly CertificateRevocationList[] _crls;
    private readonly Hash32? _serviceCertificate;
    private readonly SignedCallVerifier _verifier;

    public OperatorAuthenticator(LedgerCertificate ca, IEnumerable<CertificateRevocationList> crls, LedgerCertificate? serviceCertificate, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(crls);
        _ca = ca;
        _crls = [.. crls];
        foreach (var crl in _crls)
        {
            var signed = crl.VerifyIssuedBy(ca);
            if (!signed.IsValid)
                throw new LedgerException(ErrorCode.InvalidCrl, $"signer config: a CRL in crlFiles is not this signer's city CA's ({crl.Issuer}): {signed.Reason}");
        }
        _serviceCertificate = serviceCertificate?.Id;
        _verifier = new SignedCallVerifier(Trust, clock, server: "signer");
    }

    /// <summary>
    /// The operator who signed this call, or a refusal: no signature at all is PERMISSION_DENIED
    /// (<see cref="ErrorCode.NotAuthorised"/>); credentials that do not check are <see cref="CallRefusedException"/>s.
    /// </summary>
    public Operator Authorise(string method, ReadOnlySpan<byte> request, SignedCallCredentials? credentials, string what)
    {
        if (credentials is null)
            throw new LedgerException(ErrorCode.NotAuthorised, $"{what} needs a call signed by an operator of this bureau (a Bureau certificate from {_ca.CommonName})");
        var call = _verifier.Verify(method, request, credentials, OperatorRoles);
        return new Operator(call.Certificate);
    }

    private ValidationResult Trust(LedgerCertificate certificate, DateTimeOffset at)
    {
        var issued = certificate.VerifyIssuedBy(_ca);
        if (!issued.IsValid)
            return ValidationResult.Fail(ErrorCode.UntrustedCertificate,
                $"{certificate.Subject} is not from this signer's city CA {_ca.Subject} (an operator of this bureau enrols here): {issued.Reason}");
        if (_serviceCertificate == certificate.Id)
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
