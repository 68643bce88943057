using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Access;

/// <summary>
/// Whether a signer is the worker a contract names — the one place that decides it, for the chaincode (consent
/// grants) and the node's read scopes alike. A contract names its worker by pseudonym; a Worker certificate
/// carries the pseudonym of the person it was issued to (the city CA derives it from the ID number), so the
/// worker is whoever holds a Worker certificate naming that pseudonym — with any key, at any employer.
/// </summary>
public static class WorkerMatch
{
    public static bool Matches(SignerIdentity signer, ContractRecord record)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(record);
        return signer.Role == Role.Worker && signer.WorkerPseudonym is { } pseudonym && pseudonym == record.WorkerPseudonym;
    }

    /// <summary>The key under which a contract's accesses are listed for its worker: the pseudonym the contract names.</summary>
    public static Hash32 IndexKey(ContractRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.WorkerPseudonym;
    }

    /// <summary>
    /// The key a signer's own accesses are listed under (<see cref="IndexKey(ContractRecord)"/> of their contracts):
    /// a worker's pseudonym, so one list covers every employer; null for anyone who is not a worker.
    /// </summary>
    public static Hash32? IndexKey(SignerIdentity signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return signer.Role == Role.Worker ? signer.WorkerPseudonym : null;
    }
}
