using Ledger.Core.Transactions;

namespace Ledger.Core.Contracts;

/// <summary>
/// Dissolves (解除) the contract in force on a legal basis of arts. 36-41, from an effective date:
/// <c>DissolveContract { contract_id = 1, version = 2, document_hash = 3, basis = 4, effective_date = 5, proposed_by = 6 }</c>.
/// Version and document hash name the version in force. Afterwards no lifecycle action is possible.
/// </summary>
public sealed record DissolvePayload : IContractPayload
{
    public required string ContractId { get; init; }
    public required uint Version { get; init; }
    public required Hash32 DocumentHash { get; init; }
    public required DissolutionBasis Basis { get; init; }
    public required ContractDate EffectiveDate { get; init; }

    /// <summary>Which party proposed an art. 36 dissolution (required there, absent on any other basis): art. 46(2) severance depends on it.</summary>
    public Proposer ProposedBy { get; init; }

    public ContractAction Action => ContractAction.Dissolve;
    public int PayloadField => ContractPayloads.DissolveField;
    public uint StatementVersion => Version;
    public Hash32 StatementDocumentHash => DocumentHash;

    public byte[] Encode() => new ClosureFields<DissolutionBasis>(ContractId, Version, DocumentHash, Basis, EffectiveDate, ProposedBy).Encode();

    public static DissolvePayload Decode(ReadOnlySpan<byte> bytes)
    {
        var f = ClosureFields<DissolutionBasis>.Decode(bytes, "DissolveContract", "basis");
        return new DissolvePayload { ContractId = f.ContractId, Version = f.Version, DocumentHash = f.DocumentHash, Basis = f.Ground, EffectiveDate = f.EffectiveDate, ProposedBy = f.ProposedBy };
    }
}
