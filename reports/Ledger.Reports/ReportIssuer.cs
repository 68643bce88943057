using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Reports;

/// <summary>The bureau that issues and signs reports: its certificate (chaining to the consortium root) and its SM2 key.</summary>
public sealed record ReportIssuer(LedgerCertificate Certificate, Sm2PrivateKey Key);
