using Ledger.Core.Transactions;

namespace Ledger.Core.Contracts;

/// <summary>
/// Terminates (终止) the contract in force for a reason of art. 44, from an effective date:
/// <c>TerminateContract { contract_id = 1, version = 2, document_hash = 3, reason = 4, effective_date = 5 }</c>.
/// Version and document hash name the version in force. Afterwards no lifecycle action is possible.
/// </summary>
public sealed record TerminatePayload : IContractPayload
{
    public required string ContractId { get; init; }
    public required uint Version { get; init; }
    public required Hash32 DocumentHash { get; init; }
    public required TerminationReason Reason { get; init; }
    public required ContractDate EffectiveDate { get; init; }

    public ContractAction Action => ContractAction.Terminate;
    public int PayloadField => ContractPayloads.TerminateField;
    public uint StatementVersion => Version;
    public Hash32 StatementDocumentHash => DocumentHash;

    public byte[] Encode() => new ClosureFields<TerminationReason>(ContractId, Version, DocumentHash, Reason, EffectiveDate).Encode();

    public static TerminatePayload Decode(ReadOnlySpan<byte> bytes)
    {
        var f = ClosureFields<TerminationReason>.Decode(bytes, "TerminateContract", "reason");
        if (f.ProposedBy != Proposer.Unspecified)
            throw new LedgerException(ErrorCode.UnknownField, "TerminateContract has no proposed_by (field 6)");
        return new TerminatePayload { ContractId = f.ContractId, Version = f.Version, DocumentHash = f.DocumentHash, Reason = f.Ground, EffectiveDate = f.EffectiveDate };
    }
}
