namespace Ledger.Core.Access;

/// <summary>What an <see cref="AccessGrantPayload"/> opens. Values are on the wire and on chain: never renumber.</summary>
public enum GrantKind
{
    Unspecified = 0,

    /// <summary>A worker lets one reader (a bank, a new employer) read one contract, for a purpose, until an expiry.</summary>
    WorkerConsent = 1,

    /// <summary>An employer lets one integrator read the contracts of its credit code, until an expiry.</summary>
    IntegratorDelegation = 2,
}
