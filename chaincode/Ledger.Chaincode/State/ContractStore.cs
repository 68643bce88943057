using Ledger.Core;
using Ledger.Core.State;

namespace Ledger.Chaincode.State;

/// <summary>Reads and writes the chaincode's records in a state store: the read side for the node's API too.</summary>
public static class ContractStore
{
    /// <summary>The contract with all its versions and its full history, or null if there is none with this id.</summary>
    public static ContractRecord? Get(IStateStore state, string contractId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var bytes = state.Get(StateKeys.Contract(contractId));
        return bytes is null ? null : ContractRecord.Decode(bytes);
    }

    public static void Put(IStateStore state, ContractRecord record)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(record);
        state.Put(StateKeys.Contract(record.ContractId), record.Encode());
    }

    public static PartyPairRecord GetPair(IStateStore state, string employerCreditCode, Hash32 workerPseudonym)
    {
        ArgumentNullException.ThrowIfNull(state);
        var bytes = state.Get(StateKeys.PartyPair(employerCreditCode, workerPseudonym));
        return bytes is null ? PartyPairRecord.Empty : PartyPairRecord.Decode(bytes);
    }

    public static void PutPair(IStateStore state, string employerCreditCode, Hash32 workerPseudonym, PartyPairRecord pair)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pair);
        state.Put(StateKeys.PartyPair(employerCreditCode, workerPseudonym), pair.Encode());
    }
}
