using Google.Protobuf;
using Grpc.Core;
using Ledger.Chain;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Wire;
using Ledger.Crypto;
using Ledger.Network;
using V1 = Ledger.Proto.V1;

namespace Ledger.Node.Grpc;

/// <summary>
/// <c>ledger.v1.LedgerService</c>: maps each request, calls the injected <see cref="ILedgerApi"/>, maps the answer.
/// Malformed requests are refused here (INVALID_ARGUMENT with a BadRequest); everything else is the API's decision.
/// Bytes that are not a protobuf request at all are refused before a method runs, by <see cref="MalformedRequestBinder"/>.
/// </summary>
[BindServiceMethod(typeof(LedgerGrpcService), nameof(BindService))]
public sealed class LedgerGrpcService(ILedgerApi api, IEquivocationSource? equivocations = null, Hosting.NodeMetrics? metrics = null) : V1.LedgerService.LedgerServiceBase
{
    /// <summary>Grpc.AspNetCore's bind method for this service (found by the attribute): the generated one, with guarded request parsing.</summary>
    public static void BindService(ServiceBinderBase binder, V1.LedgerService.LedgerServiceBase? service) =>
        V1.LedgerService.BindService(new MalformedRequestBinder(binder), service);

    /// <summary>The largest request the host accepts: one envelope (at most 128 KiB) with room for framing.</summary>
    public const int MaxReceiveMessageSize = 256 * 1024;

    /// <summary>The largest answer: one block (at most 16 MiB) with its decoded fields.</summary>
    public const int MaxSendMessageSize = EncodingLimits.MaxBlockBytes + 1024 * 1024;

    /// <summary>WaitForCommit never holds a call longer than this.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    /// <summary>OK only once the tx is admitted and journaled: an acknowledged tx survives a crash of this node.</summary>
    public override async Task<V1.SubmitResponse> Submit(V1.SubmitRequest request, ServerCallContext context)
    {
        if (request.Envelope.IsEmpty) throw GrpcErrors.BadField("envelope", ErrorCode.MissingField, "an encoded TxEnvelope is required");
        var result = await api.SubmitAsync(request.Envelope.Memory);
        if (!result.Accepted) throw GrpcErrors.Refused(result.Result);
        var txId = result.TxId ?? throw new RpcException(new Status(StatusCode.Internal, "admitted without a tx id"));
        return new V1.SubmitResponse { TxId = ProtoViews.Bytes(txId) };
    }

    public override Task<V1.CommittedTransaction> GetTransaction(V1.GetTransactionRequest request, ServerCallContext context)
    {
        var txId = RequireHash(request.TxId, "tx_id");
        var tx = api.GetTransaction(txId) ?? throw GrpcErrors.NotFound("transaction", txId.ToHex(), ErrorCode.UnknownTransaction);
        return Task.FromResult(ProtoViews.Transaction(tx));
    }

    public override Task<V1.GetBlockResponse> GetBlock(V1.GetBlockRequest request, ServerCallContext context)
    {
        Block? block;
        string name;
        switch (request.BlockCase)
        {
            case V1.GetBlockRequest.BlockOneofCase.Height:
                block = api.GetBlock(request.Height);
                name = $"at height {request.Height}";
                break;
            case V1.GetBlockRequest.BlockOneofCase.Hash:
                var hash = RequireHash(request.Hash, "hash");
                block = api.GetBlock(hash);
                name = hash.ToHex();
                break;
            default:
                throw GrpcErrors.BadField("block", ErrorCode.MissingField, "give a height or a hash");
        }
        return Task.FromResult(ProtoViews.Block(block ?? throw GrpcErrors.NotFound("block", name, ErrorCode.UnknownBlock)));
    }

    public override async Task<V1.ListEquivocationsResponse> ListEquivocations(V1.ListEquivocationsRequest request, ServerCallContext context)
    {
        var response = new V1.ListEquivocationsResponse();
        if (equivocations is null) return response;
        foreach (var e in await equivocations.ListAsync(context.CancellationToken))
        {
            response.Equivocations.Add(new V1.Equivocation
            {
                Validator = ProtoViews.Bytes(e.Validator),
                Height = e.Height,
                Round = e.Round,
                Type = e.Type,
                First = ByteString.CopyFrom(e.First),
                Second = ByteString.CopyFrom(e.Second),
            });
        }
        return response;
    }

    public override Task<V1.ChainInfo> GetChainInfo(V1.GetChainInfoRequest request, ServerCallContext context) =>
        Task.FromResult(ProtoViews.ChainInfo(api.GetChainInfo()));

    public override Task<V1.GetContractResponse> GetContract(V1.GetContractRequest request, ServerCallContext context)
    {
        RequireContractId(request.ContractId);
        var view = api.GetContract(request.ContractId) ?? throw GrpcErrors.NotFound("contract", request.ContractId, ErrorCode.ContractNotFound);
        var response = new V1.GetContractResponse { Contract = ProtoViews.Contract(view.Record) };
        response.Transactions.AddRange(view.History.Select(ProtoViews.Transaction));
        return Task.FromResult(response);
    }

    public override Task<V1.FindByDocumentHashResponse> FindByDocumentHash(V1.FindByDocumentHashRequest request, ServerCallContext context)
    {
        var hash = RequireHash(request.DocumentHash, "document_hash");
        var response = new V1.FindByDocumentHashResponse();
        response.Transactions.AddRange(api.FindByDocumentHash(hash).Select(ProtoViews.Transaction));
        return Task.FromResult(response);
    }

    public override Task<V1.GetEvidenceResponse> GetEvidence(V1.GetEvidenceRequest request, ServerCallContext context)
    {
        var txId = RequireHash(request.TxId, "tx_id");
        var proof = api.GetEvidence(txId) ?? throw GrpcErrors.NotFound("transaction", txId.ToHex(), ErrorCode.UnknownTransaction);
        var header = BlockHeader.Decode(Convert.FromBase64String(proof.Header));
        return Task.FromResult(new V1.GetEvidenceResponse { ProofJson = proof.ToJson(), Height = header.Height });
    }

    public override Task<V1.GetContractEvidenceResponse> GetContractEvidence(V1.GetContractEvidenceRequest request, ServerCallContext context)
    {
        RequireContractId(request.ContractId);
        var height = request.Height == 0 ? (ulong?)null : request.Height;
        var bundle = api.GetContractEvidence(request.ContractId, height)
            ?? throw GrpcErrors.NotFound("block", request.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), ErrorCode.UnknownBlock);
        return Task.FromResult(new V1.GetContractEvidenceResponse { BundleJson = bundle.ToJson(), Height = bundle.Height, Found = bundle.Record is not null });
    }

    public override async Task WatchBlocks(V1.WatchBlocksRequest request, IServerStreamWriter<V1.WatchBlocksResponse> responseStream, ServerCallContext context)
    {
        await foreach (var block in api.WatchBlocksAsync(request.FromHeight, context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(new V1.WatchBlocksResponse
            {
                Block = UnsafeByteOperations.UnsafeWrap(block.Encode()),
                Height = block.Header.Height,
                BlockHash = ProtoViews.Bytes(block.Header.ComputeHash(Sm3Hasher.Instance)),
            }, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<V1.CommittedTransaction> WaitForCommit(V1.WaitForCommitRequest request, ServerCallContext context)
    {
        var txId = RequireHash(request.TxId, "tx_id");
        if (request.TimeoutMs > MaxWait.TotalMilliseconds)
            throw GrpcErrors.BadField("timeout_ms", ErrorCode.InvalidFieldValue, $"at most {MaxWait.TotalMilliseconds} ms");
        var timeout = request.TimeoutMs == 0 ? MaxWait : TimeSpan.FromMilliseconds(request.TimeoutMs);
        if (context.Deadline != DateTime.MaxValue)
        {
            var untilDeadline = context.Deadline - DateTime.UtcNow;
            if (untilDeadline < timeout) timeout = untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.Zero;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        wait.CancelAfter(timeout);
        CommittedTransaction? tx = null;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = "cancelled";
        try
        {
            tx = await api.WaitForCommitAsync(txId, wait.Token).ConfigureAwait(false);
            outcome = "committed";
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            outcome = "timeout";
        }
        finally
        {
            metrics?.WaitForCommit.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
        return ProtoViews.Transaction(tx ?? throw GrpcErrors.DeadlineExceeded($"tx {txId.ToHex()} not committed within {timeout.TotalMilliseconds:0} ms"));
    }

    private static void RequireContractId(string contractId)
    {
        if (string.IsNullOrEmpty(contractId)) throw GrpcErrors.BadField("contract_id", ErrorCode.MissingField, "a contract id is required");
        if (System.Text.Encoding.UTF8.GetByteCount(contractId) > EncodingLimits.MaxShortStringBytes)
            throw GrpcErrors.BadField("contract_id", ErrorCode.InvalidFieldValue, $"at most {EncodingLimits.MaxShortStringBytes} bytes");
    }

    private static Hash32 RequireHash(ByteString bytes, string field) =>
        bytes.Length == Hash32.Size
            ? new Hash32(bytes.Span)
            : throw GrpcErrors.BadField(field, ErrorCode.InvalidFieldValue, $"a hash is {Hash32.Size} bytes, got {bytes.Length}");
}
