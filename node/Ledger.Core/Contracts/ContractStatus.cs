namespace Ledger.Core.Contracts;

/// <summary>Where a contract stands in its lifecycle. Values are stored in state: never renumber.</summary>
public enum ContractStatus
{
    Unspecified = 0,

    /// <summary>Version 1 is registered and waits for the signatures of employer and worker; nothing is in force yet.</summary>
    PendingSignature = 1,

    /// <summary>The latest version is signed by both parties (or is an attested paper contract) and in force.</summary>
    Effective = 2,

    /// <summary>A change (变更) awaits signatures; the previous version stays in force meanwhile.</summary>
    PendingChange = 3,

    /// <summary>A renewal (续订) awaits signatures; the previous version stays in force meanwhile.</summary>
    PendingRenewal = 4,

    /// <summary>Dissolved (解除) under arts. 36-41. Final.</summary>
    Dissolved = 5,

    /// <summary>Terminated (终止) under art. 44. Final.</summary>
    Terminated = 6,

    /// <summary>
    /// A paper contract uploaded by its employer alone (from protocol version 4): anchored, but nothing is in force until the
    /// named worker confirms it with their Worker certificate or a bureau attests it against the paper original
    /// (<see cref="ConfirmPaperPayload"/>). Nothing else may be done with it meanwhile (no probation, no dismissal).
    /// </summary>
    PendingConfirmation = 7,
}
