using Ledger.Core.Transactions;

namespace Ledger.Core.Contracts;

/// <summary>
/// A renewal (续订): a new term after the current one, with its own document, proposed as version <c>base_version + 1</c>
/// and effective once both parties sign it:
/// <c>RenewContract { contract_id = 1, base_version = 2, document_hash = 3, document_format = 4, terms = 5 }</c>.
/// </summary>
public sealed record RenewPayload : IContractPayload
{
    public required string ContractId { get; init; }

    /// <summary>The version in force that this one replaces.</summary>
    public required uint BaseVersion { get; init; }

    public required Hash32 DocumentHash { get; init; }
    public required DocumentFormat DocumentFormat { get; init; }
    public required ContractTerms Terms { get; init; }

    public ContractAction Action => ContractAction.Renew;
    public int PayloadField => ContractPayloads.RenewField;
    public uint StatementVersion => BaseVersion + 1;
    public Hash32 StatementDocumentHash => DocumentHash;

    public byte[] Encode() => new NewVersionFields(ContractId, BaseVersion, DocumentHash, DocumentFormat, Terms).Encode();

    public static RenewPayload Decode(ReadOnlySpan<byte> bytes)
    {
        var f = NewVersionFields.Decode(bytes, "RenewContract");
        return new RenewPayload { ContractId = f.ContractId, BaseVersion = f.BaseVersion, DocumentHash = f.DocumentHash, DocumentFormat = f.DocumentFormat, Terms = f.Terms };
    }
}
