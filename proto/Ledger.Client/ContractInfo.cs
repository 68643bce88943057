namespace Ledger.Client;

/// <summary>
/// A contract as a node reports it: the chaincode's record (the wire message, with status, every version and
/// every history entry) and the committed txs of its history, in order — each can be fetched as evidence. A reader
/// without sight of sensitive bases (a bureau, a consent holder) gets no tx stating one: the record's history still lists it.
/// </summary>
public sealed record ContractInfo(Ledger.Proto.V1.ContractRecord Record, IReadOnlyList<CommittedTx> History);
