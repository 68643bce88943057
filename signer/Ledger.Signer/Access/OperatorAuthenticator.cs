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
/// (<see cref="CallAuthentication"/>, checked by the shared <see cref="SignedCallVerifier"/>) with an Operator certificate
/// that <see cref="OperatorTrust"/> accepts — issued by this signer's own city CA, valid, unrevoked, not the signer's own.
/// The signer holds its city CA's certificate only, not the root's: an operator of another city's bureau is not one of its
/// operators. Thread-safe.
/// </summary>
public sealed class OperatorAuthenticator
{
    private static readonly IReadOnlySet<Role> OperatorRoles = new HashSet<Role> { Role.Operator };

    private readonly LedgerCertificate _ca;
    private readonly SignedCallVerifier _verifier;

    public OperatorAuthenticator(LedgerCertificate ca, IEnumerable<CertificateRevocationList> crls, LedgerCertificate? serviceCertificate, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(ca);
        _ca = ca;
        var trust = new OperatorTrust(ca, crls, serviceCertificate);
        _verifier = new SignedCallVerifier(trust.Check, clock, server: "signer");
    }

    /// <summary>
    /// The operator who signed this call, or a refusal: no signature at all is PERMISSION_DENIED
    /// (<see cref="ErrorCode.NotAuthorised"/>); credentials that do not check are <see cref="CallRefusedException"/>s.
    /// </summary>
    public Operator Authorise(string method, ReadOnlySpan<byte> request, SignedCallCredentials? credentials, string what)
    {
        if (credentials is null)
            throw new LedgerException(ErrorCode.NotAuthorised, $"{what} needs a call signed by an operator of this bureau (an Operator certificate from {_ca.CommonName})");
        var call = _verifier.Verify(method, request, credentials, OperatorRoles);
        return new Operator(call.Certificate);
    }
}
