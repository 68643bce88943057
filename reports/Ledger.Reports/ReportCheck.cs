using Ledger.Core;
using Ledger.Crypto.Certificates;

namespace Ledger.Reports;

/// <summary>The outcome of checking a report's signature: valid or the typed reason, and the issuer when known.</summary>
public sealed record ReportCheck(ValidationResult Result, LedgerCertificate? Issuer, int SignedLength)
{
    public bool IsValid => Result.IsValid;
}
