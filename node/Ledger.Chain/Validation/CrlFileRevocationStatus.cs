using Ledger.Chain.Admission;
using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>Revocation as the CRL files in this node's config say. Node-local: never used to refuse a certified block.</summary>
public sealed class CrlFileRevocationStatus(CertificateRegistry certificates) : IRevocationStatus
{
    public ValidationResult Check(ReadOnlySpan<byte> certificateDer, DateTimeOffset at) => certificates.CheckRevocation(certificateDer, at);
}
