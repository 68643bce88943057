using Ledger.Core.Transactions;

namespace Ledger.Core.Contracts;

/// <summary>
/// A labour-contract payload of a <see cref="TxBody"/>. Each names the contract, the version and the document
/// hash its <see cref="ContractStatement"/> is about, so the statement the parties sign is derived from the
/// payload alone (see <see cref="ContractPayloads.StatementFor(IContractPayload, string, Crypto.IHasher)"/>).
/// </summary>
public interface IContractPayload
{
    ContractAction Action { get; }

    /// <summary>The payload's field number in the <see cref="TxBody"/> oneof.</summary>
    int PayloadField { get; }

    string ContractId { get; }

    /// <summary>The version the statement names: the version created (register, change, renew, upload) or acted on.</summary>
    uint StatementVersion { get; }

    /// <summary>The document the statement names: the new document, or the one of the version acted on.</summary>
    Hash32 StatementDocumentHash { get; }

    byte[] Encode();
}
