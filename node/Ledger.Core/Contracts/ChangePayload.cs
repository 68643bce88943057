using Ledger.Core.Transactions;

namespace Ledger.Core.Contracts;

/// <summary>
/// A change (变更) of the contract in force: a new document and new terms, proposed as version <c>base_version + 1</c>.
/// It references the current version, is effective once both parties sign it, and leaves the old version in history:
/// <c>ChangeContract { contract_id = 1, base_version = 2, document_hash = 3, document_format = 4, terms = 5 }</c>.
/// </summary>
public sealed record ChangePayload : IContractPayload
{
    public required string ContractId { get; init; }

    /// <summary>The version in force that this one replaces.</summary>
    public required uint BaseVersion { get; init; }

    public required Hash32 DocumentHash { get; init; }
    public required DocumentFormat DocumentFormat { get; init; }
    public required ContractTerms Terms { get; init; }

    public ContractAction Action => ContractAction.Change;
    public int PayloadField => ContractPayloads.ChangeField;
    public uint StatementVersion => BaseVersion + 1;
    public Hash32 StatementDocumentHash => DocumentHash;

    public byte[] Encode() => new NewVersionFields(ContractId, BaseVersion, DocumentHash, DocumentFormat, Terms).Encode();

    public static ChangePayload Decode(ReadOnlySpan<byte> bytes)
    {
        var f = NewVersionFields.Decode(bytes, "ChangeContract");
        return new ChangePayload { ContractId = f.ContractId, BaseVersion = f.BaseVersion, DocumentHash = f.DocumentHash, DocumentFormat = f.DocumentFormat, Terms = f.Terms };
    }
}
