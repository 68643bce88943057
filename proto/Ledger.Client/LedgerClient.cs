using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Core;
using Ledger.Core.Evidence;
using Ledger.Proto.V1;
using Block = Ledger.Core.Blocks.Block;
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
        _client = new LedgerService.LedgerServiceClient(callInvoker);
        _options = options ?? new LedgerClientOptions();
    }

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
        return new ContractInfo(response.Contract, response.Transactions.Select(ToCommittedTx).ToArray());
    }

    /// <summary>The committed txs that anchored this document hash; empty when it never was.</summary>
    public async Task<IReadOnlyList<CommittedTx>> FindByDocumentHashAsync(Hash32 documentHash, CancellationToken cancellationToken = default)
    {
        var request = new FindByDocumentHashRequest { DocumentHash = Bytes(documentHash) };
        var response = await Call(c => _client.FindByDocumentHashAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response.Transactions.Select(ToCommittedTx).ToArray();
    }

    /// <summary>The proof of a committed tx, as the node assembled it: check it with <see cref="Evidence.EvidenceVerifier"/>, never trust it as is.</summary>
    public async Task<EvidenceProof?> GetEvidenceAsync(Hash32 txId, CancellationToken cancellationToken = default)
    {
        var request = new GetEvidenceRequest { TxId = Bytes(txId) };
        var response = await CallOrNull(c => _client.GetEvidenceAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response is null ? null : EvidenceProof.FromJson(response.ProofJson);
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
    public async IAsyncEnumerable<Block> WatchBlocksAsync(ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AsyncServerStreamingCall<WatchBlocksResponse> call;
        try
        {
            call = _client.WatchBlocks(new WatchBlocksRequest { FromHeight = fromHeight }, cancellationToken: cancellationToken);
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
                yield return Block.Decode(call.ResponseStream.Current.Block.Span);
            }
        }
    }

    public void Dispose() => _ownedChannel?.Dispose();

    private async Task<Block?> GetBlockAsync(GetBlockRequest request, CancellationToken cancellationToken)
    {
        var response = await CallOrNull(c => _client.GetBlockAsync(request, c), cancellationToken).ConfigureAwait(false);
        return response is null ? null : Block.Decode(response.Block.Span);
    }

    private async Task<T?> CallOrNull<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await Call(call, cancellationToken).ConfigureAwait(false);
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
