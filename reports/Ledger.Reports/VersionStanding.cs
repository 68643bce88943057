namespace Ledger.Reports;

/// <summary>Where the version an event names stands at the bundle's height.</summary>
public enum VersionStanding
{
    /// <summary>The version in force.</summary>
    InForce,

    /// <summary>The last version in force of a contract since dissolved or terminated.</summary>
    LastInForce,

    /// <summary>A later version is (or was, until the contract ended) in force.</summary>
    Superseded,

    /// <summary>Not (yet) in force: awaiting signatures, or nothing is in force.</summary>
    NotInForce,

    /// <summary>A dissolution or termination: it ends the contract rather than naming a version in force.</summary>
    Closing,
}
