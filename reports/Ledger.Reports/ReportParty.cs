using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Reports;

/// <summary>
/// One signer of the proven tx as the report names it: role and certificate subject, and for a worker only the key
/// id (or pseudonym) — never a name or an ID number.
/// </summary>
public sealed record ReportParty(EndorsementScope Scope, Role Role, string? Subject, string? CreditCode, string KeyId);
