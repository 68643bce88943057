namespace Ledger.Signer.Ca;

/// <summary>
/// What the signer asks its CA process to certify: the operator's signed authorisation as received (the encoded
/// <c>EnrolmentAuthorisation</c>, the operator's certificate, the signature) and the enrolment's subject — the ID number for
/// a person, the credit code and registered name for an organisation — which the CA hashes and compares with the authorised one.
/// </summary>
public sealed record EnrolmentOrder(byte[] Authorisation, byte[] OperatorCertificate, byte[] Signature, string? IdNumber, string? OrganisationName, string? CreditCode)
{
    /// <summary>Never prints the ID number.</summary>
    public override string ToString() => $"EnrolmentOrder({Authorisation.Length} bytes authorised, {(IdNumber is null ? "organisation" : "person")})";
}
