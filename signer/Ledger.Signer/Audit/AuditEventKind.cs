namespace Ledger.Signer.Audit;

/// <summary>What an audit record says happened. Values are part of the hashed record: never renumber.</summary>
public enum AuditEventKind
{
    Enrolled = 1,
    SignatureRequested = 2,
    SignatureConfirmed = 3,
    ConfirmationRefused = 4,
}
