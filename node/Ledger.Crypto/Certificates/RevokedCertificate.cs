namespace Ledger.Crypto.Certificates;

/// <summary>A CRL entry: the serial (lowercase hex, as <see cref="LedgerCertificate.SerialNumberHex"/>) and when it stopped being trustworthy.</summary>
public sealed record RevokedCertificate(string SerialNumberHex, DateTimeOffset RevokedAt)
{
    public static RevokedCertificate Of(LedgerCertificate certificate, DateTimeOffset revokedAt)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new RevokedCertificate(certificate.SerialNumberHex, revokedAt);
    }
}
