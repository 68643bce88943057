using Ledger.Core.Crypto;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Core.Execution;

/// <summary>
/// The deterministic business logic a block runs. Admission asks it which statement the parties of a
/// payload must have signed (so the signatures can be checked once, in parallel, before execution);
/// execution then runs each tx on its own snapshot, committed only if the result is a success.
/// </summary>
public interface IChaincode
{
    /// <summary>Checks that the payload decodes; a failure here rejects the tx at admission.</summary>
    ValidationResult ValidatePayload(TxBody body);

    /// <summary>The statement that <see cref="EndorsementScope.Statement"/> endorsements of this tx sign, or null if it has none.</summary>
    ContractStatement? StatementFor(TxBody body, IHasher hasher);

    ExecutionResult Execute(TxContext context, IStateStore state);
}
