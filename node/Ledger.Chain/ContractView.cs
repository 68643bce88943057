using Ledger.Chaincode.State;

namespace Ledger.Chain;

/// <summary>A contract as the API shows it: the chaincode's record and the committed txs of its history, in order.</summary>
public sealed record ContractView(ContractRecord Record, IReadOnlyList<CommittedTransaction> History);
