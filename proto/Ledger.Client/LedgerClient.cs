using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Core.Evidence;
using Ledger.Proto.V1;
using Block = Ledger.Core.Blocks.Block;
using BlockHeader = Ledger.Core.Blocks.BlockHeader;
using CommitCertificate = Ledger.Core.Blocks.CommitCertificate;
using TxEnvelope = Ledger.Core.Transactions.TxEnvelope;
using static Ledger.Client.ProtoMapping;

namespace Ledger.Client;

/// <summary>
/// The integrator's handle on a node's <c>ledger.v1.LedgerService</c>. A refusal or a transport failure is a
/// <see cref="LedgerClientException"/> carrying the ledger's <see cref="ErrorCode"/>; an unknown id is null.
/// Thread-safe; dispose it to close the channel it owns.
/// </summary>
public sealed class LedgerClient : IDisposable
{
    private readonly LedgerService.LedgerServiceClient _client;
    private readonly GrpcChannel? _ownedChannel;
    private readonly LedgerClientOptions _options;

    public LedgerClient(CallInvoker callInvoker, LedgerClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        _options = options ?? new LedgerClientOptions();
        _client = new LedgerService.LedgerServiceClient(_options.Identity is { } identity ? callInvoker.Intercept(new CallSigningInterceptor(identity)) : callInvoker);
    }

    /// <summary>Who this client's calls are signed as, or null (anonymous).</summary>
    public CallerIdentity? Identity => _options.Identity;

    private LedgerClient(GrpcChannel channel, LedgerClientOptions options) : this(channel.CreateCallInvoker(), options) => _ownedChannel = channel;

    /// <summary>
    /// Connects to a node, e.g. <c>https://127.0.0.1:7600</c>. Over https the node's certificate must chain to
    /// <see cref="LedgerClientOptions.TransportCa"/> when given (the consortium's transport CA, pinned: the operating
    /// system's store is not consulted), else to the system store. <c>http://</c> is plaintext, for a node run with
    /// <c>--insecure</c>.
    /// </summary>
    public static LedgerClient Connect(string address, LedgerClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"'{address}' is not an http:// or https:// node address");
        options ??= new LedgerClientOptions();
        var channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            HttpHandler = uri.Scheme == Uri.UriSchemeHttps && options.TransportCa is { } ca ? ca.CreateHandler(options.ClientCertificate) : null,
            DisposeHttpClient = true,
        });
        return new LedgerClient(channel, options);
    }

    /// <summary>Submits a tx for admission; its id, or a <see cref="LedgerClientException"/> with the reason it was refused.</summary>
    public Task<Hash32> SubmitAsync(TxEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return SubmitAsync(envelope.Encode(), cancellationToken);
    }

    public async Task<Hash32> SubmitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken = default)
    {
        var request = new SubmitRequest { Envelope = ByteString.CopyFrom(envelope.Span) };
        var response = await Call(c => _client.SubmitAsync(request, c), cancellationToken).ConfigureAwait(false);
        return Hash(response.TxId, "tx_id");
    }

    /// <summary>
    /// Waits until the tx is in a committed block and returns it with its receipt (check
    /// <see cref="CommittedTx.Succeeded"/>: the chaincode may have refused it). A timeout is a
    /// <see cref="LedgerClientException"/> with status DeadlineExceeded.
    /// </summary>
    public async Task<CommittedTx> WaitForCommitAsync(Hash32 txId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var request = new WaitForCommitRequest { TxId = Bytes(txId), TimeoutMs = (uint)Math.Min(timeout.TotalMilliseconds, uint.MaxValue) };
        // The call's own deadline leaves the node time to answer DEADLINE_EXCEEDED itself, with details.
        var response = await Call(c => _client.WaitForCommitAsync(request, c), cancellationToken, timeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return ToCommittedTx(response);
    }

    public async Task<CommittedTx?> GetTransactionAsync(Hash32 txId, CancellationToken cancellationToken = default)
    {
        var request = new GetTransactionRequest { TxId = Bytes(txId) };
        var response = await CallOrNull(c => _client.GetTransactionAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response is null ? null : ToCommittedTx(response);
    }

    /// <summary>The header of a committed block (anyone may fetch headers), or null if the node has no such block.</summary>
    public async Task<BlockHeader?> GetBlockHeaderAsync(ulong height, CancellationToken cancellationToken = default)
    {
        var request = new GetBlockRequest { Height = height, HeaderOnly = true };
        var response = await CallOrNull(c => _client.GetBlockAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response is null ? null : BlockHeader.Decode(response.Header.Span);
    }

    /// <summary>
    /// The header of a committed block with its commit certificate (anyone may fetch both: they name nobody), or null if
    /// the node has no such block. Check the seals against genesis before trusting the header.
    /// </summary>
    public async Task<CertifiedHeader?> GetCertifiedHeaderAsync(ulong height, CancellationToken cancellationToken = default)
    {
        var request = new GetBlockRequest { Height = height, HeaderOnly = true };
        var response = await CallOrNull(c => _client.GetBlockAsync(request, c), cancellationToken).ConfigureAwait(false);
        if (response is null) return null;
        return new CertifiedHeader(BlockHeader.Decode(response.Header.Span), response.Commit.IsEmpty ? null : CommitCertificate.Decode(response.Commit.Span));
    }

    /// <summary>A whole block: for validators and observers only (PERMISSION_DENIED otherwise).</summary>
    public Task<Block?> GetBlockAsync(ulong height, CancellationToken cancellationToken = default) =>
        GetBlockAsync(new GetBlockRequest { Height = height }, cancellationToken);

    public Task<Block?> GetBlockAsync(Hash32 blockHash, CancellationToken cancellationToken = default) =>
        GetBlockAsync(new GetBlockRequest { Hash = Bytes(blockHash) }, cancellationToken);

    public async Task<ChainStatus> GetChainInfoAsync(CancellationToken cancellationToken = default)
    {
        var response = await Call(c => _client.GetChainInfoAsync(new GetChainInfoRequest(), c), cancellationToken).ConfigureAwait(false);
        return ToChainStatus(response);
    }

    public async Task<ContractInfo?> GetContractAsync(string contractId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contractId);
        var request = new GetContractRequest { ContractId = contractId };
        var response = await CallOrNull(c => _client.GetContractAsync(request, c), cancellationToken).ConfigureAwait(false);
        if (response is null) return null;
        return new ContractInfo(response.Contract, response.Transactions.Where(t => !t.Redacted).Select(ToCommittedTx).ToArray());
    }

    /// <summary>
    /// A contract read by a court, arbitration board, inspector (a case number or inspection reference) or a reader
    /// holding the worker's consent grant: the client signs an AccessRecord tx for it, and the node commits it on
    /// chain before it answers. Needs an <see cref="LedgerClientOptions.Identity"/>.
    /// </summary>
    public async Task<ContractInfo?> GetContractAsync(string contractId, AccessRecordPayload basis, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contractId);
        ArgumentNullException.ThrowIfNull(basis);
        var identity = _options.Identity ?? throw new LedgerException(ErrorCode.CallerCredentialsMissing, "a read with a legal basis or consent is signed: give the client an identity");
        if (basis.ContractId != contractId) throw new ArgumentException("the access record names another contract", nameof(basis));
        var chainId = (await GetChainInfoAsync(cancellationToken).ConfigureAwait(false)).ChainId;
        var record = AccessTransactions.Record(chainId, basis, identity).Encode();
        var request = new GetContractRequest { ContractId = contractId };
        var headers = new Metadata { { CallAuthentication.AccessRecordHeader, record } };
        // The node waits for the record's block before answering: allow for it.
        var response = await CallOrNull(c => _client.GetContractAsync(request, c.WithHeaders(headers)), cancellationToken, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (response is null) return null;
        return new ContractInfo(response.Contract, response.Transactions.Where(t => !t.Redacted).Select(ToCommittedTx).ToArray());
    }

    /// <summary>
    /// The proof of a contract's tx for a reader with a legal basis or consent (as
    /// <see cref="GetContractAsync(string, AccessRecordPayload, CancellationToken)"/>): an AccessRecord for the tx's
    /// contract is committed before the node answers.
    /// </summary>
    public async Task<EvidenceProof?> GetEvidenceAsync(Hash32 txId, AccessRecordPayload basis, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(basis);
        var identity = _options.Identity ?? throw new LedgerException(ErrorCode.CallerCredentialsMissing, "a read with a legal basis or consent is signed: give the client an identity");
        var chainId = (await GetChainInfoAsync(cancellationToken).ConfigureAwait(false)).ChainId;
        var headers = new Metadata { { CallAuthentication.AccessRecordHeader, AccessTransactions.Record(chainId, basis, identity).Encode() } };
        var request = new GetEvidenceRequest { TxId = Bytes(txId) };
        var response = await CallOrNull(c => _client.GetEvidenceAsync(request, c.WithHeaders(headers)), cancellationToken, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return response is null ? null : EvidenceProof.FromJson(response.ProofJson);
    }

    /// <summary>Every committed access to the caller's contracts (a worker's list), or to one contract; oldest first.</summary>
    public async Task<IReadOnlyList<AccessRecordEntry>> ListAccessRecordsAsync(string? contractId = null, CancellationToken cancellationToken = default)
    {
        var request = new ListAccessRecordsRequest { ContractId = contractId ?? "" };
        var response = await Call(c => _client.ListAccessRecordsAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response.Records;
    }

    /// <summary>
    /// Every access to the contracts naming a worker's pseudonym: for a validator or observer (an explorer relaying a worker
    /// who signed in to it with their own certificate); PERMISSION_DENIED for anyone else.
    /// </summary>
    public async Task<IReadOnlyList<AccessRecordEntry>> ListWorkerAccessRecordsAsync(Hash32 workerPseudonym, CancellationToken cancellationToken = default)
    {
        var request = new ListAccessRecordsRequest { WorkerPseudonym = Bytes(workerPseudonym) };
        var response = await Call(c => _client.ListAccessRecordsAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response.Records;
    }

    /// <summary>A committed grant, for its grantor or grantee; null if unknown.</summary>
    public Task<Grant?> GetGrantAsync(Hash32 grantId, CancellationToken cancellationToken = default) =>
        CallOrNull(c => _client.GetGrantAsync(new GetGrantRequest { GrantId = Bytes(grantId) }, c), cancellationToken);

    /// <summary>
    /// Submits an access tx (a grant, a revocation) signed by this client's identity and waits for its commit; its id
    /// (a grant's id is the token its grantee names), or a <see cref="LedgerClientException"/> with the refusal.
    /// </summary>
    public async Task<Hash32> SubmitAccessAsync(Func<string, CallerIdentity, Core.Transactions.TxEnvelope> build, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        var identity = _options.Identity ?? throw new LedgerException(ErrorCode.CallerCredentialsMissing, "an access tx is signed: give the client an identity");
        var chainId = (await GetChainInfoAsync(cancellationToken).ConfigureAwait(false)).ChainId;
        var txId = await SubmitAsync(build(chainId, identity), cancellationToken).ConfigureAwait(false);
        var committed = await WaitForCommitAsync(txId, timeout, cancellationToken).ConfigureAwait(false);
        if (!committed.Succeeded)
            throw new LedgerClientException(StatusCode.FailedPrecondition, committed.Receipt.Code, $"{committed.Receipt.Code}: {committed.Receipt.Message}", null);
        return txId;
    }

    /// <summary>The public view of every committed tx that anchored this hash — anchored or not, when, with what outcome; for any caller.</summary>
    public async Task<IReadOnlyList<TxStatus>> FindAnchorsAsync(Hash32 documentHash, CancellationToken cancellationToken = default)
    {
        var request = new FindByDocumentHashRequest { DocumentHash = Bytes(documentHash) };
        var response = await Call(c => _client.FindByDocumentHashAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response.Transactions.Select(ToTxStatus).ToArray();
    }

    /// <summary>Waits for a tx's commit and answers its public view (what an anonymous submitter may learn).</summary>
    public async Task<TxStatus> WaitForStatusAsync(Hash32 txId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var request = new WaitForCommitRequest { TxId = Bytes(txId), TimeoutMs = (uint)Math.Min(timeout.TotalMilliseconds, uint.MaxValue) };
        var response = await Call(c => _client.WaitForCommitAsync(request, c), cancellationToken, timeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return ToTxStatus(response);
    }

    /// <summary>The committed txs that anchored this document hash; empty when it never was. Entries outside the caller's scope are a PERMISSION_DENIED <see cref="LedgerClientException"/>: use <see cref="FindAnchorsAsync"/>.</summary>
    public async Task<IReadOnlyList<CommittedTx>> FindByDocumentHashAsync(Hash32 documentHash, CancellationToken cancellationToken = default)
    {
        var request = new FindByDocumentHashRequest { DocumentHash = Bytes(documentHash) };
        var response = await Call(c => _client.FindByDocumentHashAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response.Transactions.Select(ToCommittedTx).ToArray();
    }

    /// <summary>
    /// The validator set deciding <paramref name="height"/> with its governance checkpoints, as the node assembled it: check
    /// it with <see cref="Evidence.EvidenceVerifier"/> (it counts seals only against a set derived from genesis). Null for a
    /// height beyond the next.
    /// </summary>
    public async Task<ValidatorSetProof?> GetValidatorSetAsync(ulong height, CancellationToken cancellationToken = default)
    {
        var response = await CallOrNull(c => _client.GetValidatorSetAsync(new GetValidatorSetRequest { Height = height }, c), cancellationToken).ConfigureAwait(false);
        return response is null ? null : ValidatorSetProof.FromJson(response.ValidatorSetJson);
    }

    /// <summary>The recorded external anchor covering <paramref name="height"/> (public), or null while none is recorded.</summary>
    public async Task<ExternalAnchorInfo?> GetExternalAnchorAsync(ulong height, CancellationToken cancellationToken = default)
    {
        var response = await CallOrNull(c => _client.GetExternalAnchorAsync(new GetExternalAnchorRequest { Height = height }, c), cancellationToken).ConfigureAwait(false);
        if (response is null) return null;
        var anchor = Core.Anchoring.ExternalAnchorPayload.Decode(response.Payload.Span);
        if (anchor.Height < height)
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"the node answered an anchor of height {anchor.Height} for height {height}: it covers only what lies at or below it");
        return new ExternalAnchorInfo(anchor, ProtoMapping.Hash(response.RecordTxId, "record_tx_id"), response.RecordHeight);
    }

    /// <summary>
    /// The city CAs the chain names (public), each with the heights it counts for, as of the height given. What a node says:
    /// a relying party still checks every CA against the genesis root (<see cref="ChainAuthorities.TrustedAt"/>).
    /// </summary>
    public async Task<ChainAuthorities> GetAuthoritiesAsync(CancellationToken cancellationToken = default)
    {
        var response = await Call(c => _client.GetAuthoritiesAsync(new GetAuthoritiesRequest(), c), cancellationToken).ConfigureAwait(false);
        return new ChainAuthorities(response.Height, response.Authorities.Select(a => new ChainAuthority(
            Crypto.Certificates.LedgerCertificate.FromDer(a.Certificate.ToByteArray()), a.FromHeight, a.UntilHeight == 0 ? null : a.UntilHeight)).ToArray());
    }

    /// <summary>The proof of a committed tx, as the node assembled it: check it with <see cref="Evidence.EvidenceVerifier"/>, never trust it as is.</summary>
    public async Task<EvidenceProof?> GetEvidenceAsync(Hash32 txId, CancellationToken cancellationToken = default)
    {
        var request = new GetEvidenceRequest { TxId = Bytes(txId) };
        var response = await CallOrNull(c => _client.GetEvidenceAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response is null ? null : EvidenceProof.FromJson(response.ProofJson);
    }

    /// <summary>The proof of a document in a sealed paper batch (the seal's proof with the batch path); null when in none.</summary>
    public async Task<EvidenceProof?> GetBatchDocumentEvidenceAsync(Hash32 documentHash, CancellationToken cancellationToken = default)
    {
        var request = new GetBatchDocumentEvidenceRequest { DocumentHash = Bytes(documentHash) };
        var response = await CallOrNull(c => _client.GetBatchDocumentEvidenceAsync(request, c), cancellationToken, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return response is null ? null : EvidenceProof.FromJson(response.ProofJson);
    }

    /// <summary>The sealed paper batches holding this hash, in the view the caller's scope allows; empty when in none.</summary>
    public async Task<IReadOnlyList<BatchDocument>> FindBatchDocumentsAsync(Hash32 documentHash, CancellationToken cancellationToken = default)
    {
        var request = new FindByDocumentHashRequest { DocumentHash = Bytes(documentHash) };
        var response = await Call(c => _client.FindByDocumentHashAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response.BatchDocuments;
    }

    /// <summary>
    /// The contract bundle at <paramref name="height"/> (the latest certified height when null), as the node assembled it:
    /// check it with <see cref="Evidence.ContractEvidenceVerifier"/>. A contract without a record at that height still has a
    /// bundle (its proof of absence). Throws <see cref="LedgerClientException"/> (UnknownBlock) for a height not certified yet.
    /// </summary>
    public async Task<ContractEvidence> GetContractEvidenceAsync(string contractId, ulong? height = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contractId);
        if (height == 0) throw new ArgumentOutOfRangeException(nameof(height), "height 0 is genesis: no evidence is certified there");
        var request = new GetContractEvidenceRequest { ContractId = contractId, Height = height ?? 0 };
        var response = await Call(c => _client.GetContractEvidenceAsync(request, c), cancellationToken).ConfigureAwait(false);
        return ContractEvidence.FromJson(response.BundleJson);
    }

    /// <summary>
    /// QBFT evidence the node holds: pairs of conflicting consensus messages one validator signed for the same height,
    /// round and type, each encoded as received (decode and check them against the validator's certificate in genesis).
    /// </summary>
    public async Task<IReadOnlyList<EquivocationEvidence>> ListEquivocationsAsync(CancellationToken cancellationToken = default)
    {
        var response = await Call(c => _client.ListEquivocationsAsync(new ListEquivocationsRequest(), c), cancellationToken).ConfigureAwait(false);
        return response.Equivocations
            .Select(e => new EquivocationEvidence(Hash(e.Validator, "validator"), e.Height, e.Round, e.Type, e.First.ToByteArray(), e.Second.ToByteArray()))
            .ToArray();
    }

    /// <summary>Committed blocks from <paramref name="fromHeight"/> on, then each new one, until cancelled.</summary>
    public IAsyncEnumerable<Block> WatchBlocksAsync(ulong fromHeight, CancellationToken cancellationToken = default) =>
        WatchAsync(fromHeight, false, r => Block.Decode(r.Block.Span), cancellationToken);

    /// <summary>Committed block headers from <paramref name="fromHeight"/> on, with each block's tx count, then each new one; for any caller.</summary>
    public IAsyncEnumerable<(BlockHeader Header, int TransactionCount)> WatchBlockHeadersAsync(ulong fromHeight, CancellationToken cancellationToken = default) =>
        WatchAsync(fromHeight, true, r => (BlockHeader.Decode(r.Header.Span), checked((int)r.TransactionCount)), cancellationToken);

    private async IAsyncEnumerable<T> WatchAsync<T>(ulong fromHeight, bool headerOnly, Func<WatchBlocksResponse, T> map, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AsyncServerStreamingCall<WatchBlocksResponse> call;
        try
        {
            call = _client.WatchBlocks(new WatchBlocksRequest { FromHeight = fromHeight, HeaderOnly = headerOnly }, cancellationToken: cancellationToken);
        }
        catch (RpcException e)
        {
            throw RpcErrors.ToClientException(e);
        }
        using (call)
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
                catch (RpcException e)
                {
                    throw RpcErrors.ToClientException(e);
                }
                if (!more) yield break;
                yield return map(call.ResponseStream.Current);
            }
        }
    }

    /// <summary>
    /// State-tree nodes by hash, for a state sync: one record per hash, in order, or null where the node does not hold it.
    /// Check each with the state tree before using it (a record is only as good as its hash); validators and observers only.
    /// </summary>
    public async Task<IReadOnlyList<byte[]?>> GetStateNodesAsync(IReadOnlyList<Hash32> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var request = new GetStateNodesRequest();
        request.Hashes.AddRange(hashes.Select(Bytes));
        var response = await Call(c => _client.GetStateNodesAsync(request, c), cancellationToken).ConfigureAwait(false);
        if (response.Records.Count != hashes.Count)
            throw new LedgerClientException(StatusCode.Internal, null, $"asked for {hashes.Count} state-tree nodes, the node answered {response.Records.Count}");
        return response.Records.Select(r => r.IsEmpty ? null : r.ToByteArray()).ToArray();
    }

    public void Dispose() => _ownedChannel?.Dispose();

    private async Task<Block?> GetBlockAsync(GetBlockRequest request, CancellationToken cancellationToken)
    {
        var response = await CallOrNull(c => _client.GetBlockAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response is null ? null : Block.Decode(response.Block.Span);
    }

    private async Task<T?> CallOrNull<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken, TimeSpan? timeout = null) where T : class
    {
        try
        {
            return await Call(call, cancellationToken, timeout).ConfigureAwait(false);
        }
        catch (LedgerClientException e) when (e.Status == StatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<T> Call<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var options = new CallOptions(deadline: DateTime.UtcNow + (timeout ?? TimeSpan.Zero) + _options.CallTimeout, cancellationToken: cancellationToken);
        try
        {
            return await call(options).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException e)
        {
            throw RpcErrors.ToClientException(e);
        }
    }
}
