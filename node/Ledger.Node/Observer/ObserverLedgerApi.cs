using Grpc.Core;
using Ledger.Chain;
using Ledger.Chaincode.Access;
using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Evidence;

namespace Ledger.Node.Observer;

/// <summary>
/// What an observer node serves: every read from its own copy of the chain (checked block by block as it followed it),
/// and a submission forwarded to an upstream validator — an observer has no mempool and proposes nothing. A client (a
/// court's clerk reading with a legal basis, whose access record must commit before the answer) sees the same API as at
/// a validator; its tx is answered by the first upstream that answers, and the observer's copy shows it once committed.
/// </summary>
public sealed class ObserverLedgerApi(LedgerChain chain, UpstreamNodes upstream) : ILedgerApi
{
    public string ChainId => chain.ChainId;

    public async Task<SubmitResult> SubmitAsync(ReadOnlyMemory<byte> envelope)
    {
        LedgerClientException? unavailable = null;
        for (var i = 0; i < upstream.Count; i++)
        {
            var (address, client) = upstream[i];
            try
            {
                var txId = await client.SubmitAsync(envelope).ConfigureAwait(false);
                return new SubmitResult(txId, ValidationResult.Valid);
            }
            catch (LedgerClientException e) when (e.Status is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
            {
                unavailable = new LedgerClientException(e.Status, e.Code, $"{address}: {e.Message}", e);
            }
            catch (LedgerClientException e)
            {
                // The validator refused the tx itself: its reason is the answer (another validator would give the same).
                return new SubmitResult(null, ValidationResult.Fail(e.Code ?? ErrorCode.InvalidFieldValue, e.Message));
            }
        }
        return new SubmitResult(null, ValidationResult.Fail(ErrorCode.UpstreamUnavailable,
            $"this observer forwards submissions to its upstream validators, and none answered: {unavailable?.Message}"));
    }

    public ChainInfo GetChainInfo() => chain.GetChainInfo();

    public ValidatorSetProof? GetValidatorSet(ulong height) => chain.GetValidatorSet(height);

    public ExternalAnchorView? GetExternalAnchor(ulong height) => chain.GetExternalAnchor(height);

    public (ulong Height, IReadOnlyList<Core.Governance.ScheduledAuthority> Authorities) GetAuthorities() => chain.GetAuthorities();

    public Block? GetBlock(ulong height) => chain.GetBlock(height);

    public IReadOnlyList<byte[]?> GetStateNodes(IReadOnlyList<Hash32> hashes) => chain.GetStateNodes(hashes);

    public Block? GetBlock(Hash32 blockHash) => chain.GetBlock(blockHash);

    public CommittedTransaction? GetTransaction(Hash32 txId) => chain.GetTransaction(txId);

    public ContractView? GetContract(string contractId) => chain.GetContract(contractId);

    public IReadOnlyList<CommittedTransaction> FindByDocumentHash(Hash32 documentHash) => chain.FindByDocumentHash(documentHash);

    public EvidenceProof? GetEvidence(Hash32 txId) => chain.GetEvidence(txId);

    public IReadOnlyList<BatchDocumentHit> FindBatchDocuments(Hash32 documentHash) => chain.FindBatchDocuments(documentHash);

    public EvidenceProof? GetBatchDocumentEvidence(Hash32 documentHash) => chain.GetBatchDocumentEvidence(documentHash);

    public GrantRecord? GetGrant(Hash32 grantId) => chain.GetGrant(grantId);

    public GrantRecord? GetDelegation(string employerCreditCode, Hash32 integratorCertificateId) => chain.GetDelegation(employerCreditCode, integratorCertificateId);

    public IReadOnlyList<AccessLogEntry> ListAccess(Hash32 workerIndexKey) => chain.ListAccess(workerIndexKey);

    public ContractEvidence? GetContractEvidence(string contractId, ulong? height) => chain.GetContractEvidence(contractId, height);

    public Task<CommittedTransaction?> WaitForCommitAsync(Hash32 txId, CancellationToken cancellationToken) => chain.WaitForCommitAsync(txId, cancellationToken);

    public IAsyncEnumerable<Block> WatchBlocksAsync(ulong fromHeight, CancellationToken cancellationToken) => chain.WatchBlocksAsync(fromHeight, cancellationToken);
}
