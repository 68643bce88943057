using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto.Certificates;

namespace Ledger.Node.Access;

/// <summary>
/// An authenticated caller: the certificate whose key signed the call (chained to the genesis root, unrevoked, at
/// the time of the call) and, for a read by legal basis or consent, the AccessRecord envelope the call carried.
/// </summary>
public sealed record Caller(LedgerCertificate Certificate, SignerIdentity Identity, ReadOnlyMemory<byte> AccessRecord)
{
    public Hash32 CertificateId => Certificate.Id;

    public Role Role => Identity.Role;

    public bool HasAccessRecord => !AccessRecord.IsEmpty;

    /// <summary>The caller a verified certificate makes.</summary>
    public static Caller Of(LedgerCertificate certificate, ReadOnlyMemory<byte> accessRecord = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new Caller(certificate, certificate.ToSignerIdentity(), accessRecord);
    }

    public override string ToString() => $"{Role} {Certificate.CommonName} ({CertificateId})";
}
