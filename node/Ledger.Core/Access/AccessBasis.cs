namespace Ledger.Core.Access;

/// <summary>Why a reader outside a contract's parties reads it. Values are on the wire and on chain: never renumber.</summary>
public enum AccessBasis
{
    Unspecified = 0,

    /// <summary>A court case (案号), read by a Court certificate.</summary>
    CourtCase = 1,

    /// <summary>A labour-dispute arbitration case, read by an Arbitration certificate.</summary>
    ArbitrationCase = 2,

    /// <summary>A labour inspection reference, read by an Inspector certificate.</summary>
    Inspection = 3,

    /// <summary>The worker's consent: an <see cref="AccessGrantPayload"/> of kind <see cref="GrantKind.WorkerConsent"/> naming the reader.</summary>
    WorkerConsent = 4,
}
