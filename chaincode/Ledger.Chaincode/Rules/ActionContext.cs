using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// Everything the rules of one action may look at: the tx, its decoded payload, the contract as it stands, the
/// parties' consents, and the facts the payload asserts, put in the same shape for every action.
/// </summary>
public sealed record ActionContext
{
    public required TxContext Tx { get; init; }
    public required IContractPayload Payload { get; init; }
    public required LabourContractOptions Options { get; init; }

    /// <summary>The contract before this tx, or null if there is none with the payload's id.</summary>
    public required ContractRecord? Current { get; init; }

    /// <summary>"Today" on chain: the block time's date in China Standard Time.</summary>
    public required ContractDate Today { get; init; }

    /// <summary>The employer of record: from the payload for a new contract, else from the record.</summary>
    public required string EmployerCreditCode { get; init; }

    public required Hash32 WorkerPseudonym { get; init; }

    public required PartyConsents Consents { get; init; }

    /// <summary>What the law remembers about this employer and worker (art. 14 streak, art. 19 probation).</summary>
    public required PartyPairRecord Pair { get; init; }

    /// <summary>The terms a register, change, renew or upload proposes.</summary>
    public ContractTerms? ProposedTerms { get; init; }

    /// <summary>The existing version the tx names: the one to sign, the base of a change or renewal, the one in force to end.</summary>
    public ContractVersion? Target { get; init; }

    public uint? NamedVersion { get; init; }

    public Hash32? NamedDocumentHash { get; init; }

    public ContractAction Action => Payload.Action;

    public SignerIdentity Submitter => Tx.Submitter;

    public ContractVersion? InForce => Current?.InForce;

    /// <summary>The places of work the action concerns: the proposed one and the one in force (or latest).</summary>
    public IEnumerable<string> PlacesOfWork
    {
        get
        {
            if (ProposedTerms is not null) yield return ProposedTerms.PlaceOfWork;
            if ((Current?.InForce ?? Current?.Latest) is { } existing) yield return existing.Terms.PlaceOfWork;
        }
    }
}
