namespace Ledger.Signer.Audit;

/// <summary>What an audit record says happened. Values are part of the hashed record: never renumber.</summary>
public enum AuditEventKind
{
    Enrolled = 1,
    SignatureRequested = 2,
    SignatureConfirmed = 3,
    ConfirmationRefused = 4,

    /// <summary>An operator read the whole log (ListAuditEvents for the bureau): reads of it are audited too.</summary>
    BureauListed = 5,
}
