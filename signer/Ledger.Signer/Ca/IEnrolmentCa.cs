using Ledger.Crypto.Certificates;

namespace Ledger.Signer.Ca;

/// <summary>
/// The city CA as the signer sees it: certifies an operator-authorised holder key, or refuses with a typed
/// <see cref="Core.LedgerException"/>. <see cref="EnrolmentCa"/> is the CA itself (in the CA process, or in-process in
/// tests); <see cref="EnrolmentCaClient"/> reaches it over mutual TLS.
/// </summary>
public interface IEnrolmentCa
{
    Task<LedgerCertificate> IssueAsync(EnrolmentOrder order, CancellationToken cancellationToken);
}
