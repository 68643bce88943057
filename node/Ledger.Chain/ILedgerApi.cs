using Ledger.Chaincode.Access;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Evidence;

namespace Ledger.Chain;

/// <summary>
/// What a node offers its clients, independent of transport: the gRPC LedgerService is a thin mapping of
/// this. Every read is of committed data only.
/// </summary>
public interface ILedgerApi
{
    string ChainId { get; }

    /// <summary>
    /// Admits a tx into the mempool: its id, or the typed reason it was refused (nothing stored then). An admitted
    /// tx is durable (journaled) when this completes.
    /// </summary>
    Task<SubmitResult> SubmitAsync(ReadOnlyMemory<byte> envelope);

    ChainInfo GetChainInfo();

    /// <summary>The validator set deciding <paramref name="height"/> with how it derives from genesis; null above the next height.</summary>
    ValidatorSetProof? GetValidatorSet(ulong height);

    /// <summary>The block at <paramref name="height"/>, or null above the head; <see cref="ErrorCode.HistoryNotHeld"/> below a state-synced node's history.</summary>
    Block? GetBlock(ulong height);

    /// <summary>State-tree nodes by hash, each record or null when not held (for a peer's state sync).</summary>
    IReadOnlyList<byte[]?> GetStateNodes(IReadOnlyList<Hash32> hashes);

    Block? GetBlock(Hash32 blockHash);

    CommittedTransaction? GetTransaction(Hash32 txId);

    /// <summary>The contract's current record and full history (chaincode state), or null if unknown.</summary>
    ContractView? GetContract(string contractId);

    /// <summary>Committed txs that anchored this document hash (register, change, renew, sign, upload-paper ...).</summary>
    IReadOnlyList<CommittedTransaction> FindByDocumentHash(Hash32 documentHash);

    EvidenceProof? GetEvidence(Hash32 txId);

    /// <summary>
    /// The external anchor covering <paramref name="height"/>: the nearest recorded checkpoint at or above it (within
    /// <see cref="AnchorProofJson.MaxHeaders"/>) that is this chain's block; null when none is recorded yet.
    /// </summary>
    ExternalAnchorView? GetExternalAnchor(ulong height);

    /// <summary>
    /// The city CAs the committed chain names — genesis's, then those governance added, with the heights each counts for —
    /// and the committed height that is as of. Public material: CA certificates name bureaus, never people.
    /// </summary>
    (ulong Height, IReadOnlyList<Core.Governance.ScheduledAuthority> Authorities) GetAuthorities();

    /// <summary>Where this document hash is in a sealed paper batch (one hit per batch part holding it); empty when in none.</summary>
    IReadOnlyList<BatchDocumentHit> FindBatchDocuments(Hash32 documentHash);

    /// <summary>The seal tx's proof with the document's batch path (the earliest sealed batch holding it), or null.</summary>
    EvidenceProof? GetBatchDocumentEvidence(Hash32 documentHash);

    /// <summary>A committed grant (a worker's consent, an employer's delegation) by its tx id, or null.</summary>
    GrantRecord? GetGrant(Hash32 grantId);

    /// <summary>The latest delegation the employer of this credit code gave the integrator (by certificate id), or null.</summary>
    GrantRecord? GetDelegation(string employerCreditCode, Hash32 integratorCertificateId);

    /// <summary>The committed accesses listed under a worker's index key (<see cref="WorkerMatch.IndexKey(Ledger.Core.Identity.SignerIdentity)"/>), oldest first.</summary>
    IReadOnlyList<AccessLogEntry> ListAccess(Hash32 workerIndexKey);

    /// <summary>
    /// The contract bundle at certified height <paramref name="height"/> (the head when null): the record with its state
    /// proof, or a proof of absence, and a tx proof for every event of its history. Null when there is no certified block
    /// at that height (height 0 is genesis, never evidence).
    /// </summary>
    ContractEvidence? GetContractEvidence(string contractId, ulong? height);

    /// <summary>Completes when the tx is in a committed block (with its receipt), or null when the token fires first.</summary>
    Task<CommittedTransaction?> WaitForCommitAsync(Hash32 txId, CancellationToken cancellationToken);

    /// <summary>Committed blocks from <paramref name="fromHeight"/> on, then each new block as it is committed.</summary>
    IAsyncEnumerable<Block> WatchBlocksAsync(ulong fromHeight, CancellationToken cancellationToken);
}
