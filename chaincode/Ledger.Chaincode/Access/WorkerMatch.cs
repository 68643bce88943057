using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Access;

/// <summary>
/// Whether a signer is the worker a contract names — the one place that decides it, for the chaincode (consent
/// grants) and the node's read scopes alike. Today a contract knows its worker by the key bound with the first
/// worker signature; before that, nobody is its worker.
/// </summary>
public static class WorkerMatch
{
    public static bool Matches(SignerIdentity signer, ContractRecord record)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(record);
        return signer.Role == Role.Worker && record.WorkerKeyId is { } bound && bound == signer.KeyId;
    }

    /// <summary>The key under which a contract's accesses are listed for its worker: the worker's bound key, else the commitment.</summary>
    public static Hash32 IndexKey(ContractRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.WorkerKeyId ?? record.WorkerPseudonym;
    }

    /// <summary>The key a signer's own accesses are listed under (<see cref="IndexKey"/> of their contracts).</summary>
    public static Hash32 IndexKey(SignerIdentity signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return signer.KeyId;
    }
}
