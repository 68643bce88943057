using Google.Protobuf;
using Grpc.Core;
using Ledger.Chain;
using Ledger.Chaincode.Access;
using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Wire;
using Ledger.Crypto;
using Ledger.Network;
using Ledger.Node.Access;
using V1 = Ledger.Proto.V1;

namespace Ledger.Node.Grpc;

/// <summary>
/// <c>ledger.v1.LedgerService</c>: maps each request, calls the injected <see cref="ILedgerApi"/>, maps the answer.
/// Malformed requests are refused here (INVALID_ARGUMENT with a BadRequest); who may read what is the
/// <see cref="ReadPolicy"/>'s decision, on the caller <see cref="AuthenticationInterceptor"/> authenticated.
/// Bytes that are not a protobuf request at all are refused before a method runs, by <see cref="MalformedRequestBinder"/>.
/// </summary>
[BindServiceMethod(typeof(LedgerGrpcService), nameof(BindService))]
public sealed class LedgerGrpcService(ILedgerApi api, ReadPolicy policy, AccessRecordGate gate, IEquivocationSource? equivocations = null, Hosting.NodeMetrics? metrics = null)
    : V1.LedgerService.LedgerServiceBase
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

    public override async Task<V1.CommittedTransaction> GetTransaction(V1.GetTransactionRequest request, ServerCallContext context)
    {
        var txId = RequireHash(request.TxId, "tx_id");
        var caller = ReadPolicy.RequireCaller(CallerContext.Of(context), "reading a transaction");
        var tx = api.GetTransaction(txId) ?? throw GrpcErrors.NotFound("transaction", txId.ToHex(), ErrorCode.UnknownTransaction);
        var scope = await AuthoriseTransactionAsync(caller, tx, context.CancellationToken).ConfigureAwait(false);
        return View(tx, scope);
    }

    public override Task<V1.GetBlockResponse> GetBlock(V1.GetBlockRequest request, ServerCallContext context)
    {
        if (!request.HeaderOnly) policy.RequireWholeBlocks(CallerContext.Of(context), "a whole block");
        Block? block;
        string name;
        switch (request.BlockCase)
        {
            case V1.GetBlockRequest.BlockOneofCase.Height:
                block = HeldOrRefused(() => api.GetBlock(request.Height));
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
        return Task.FromResult(ProtoViews.Block(block ?? throw GrpcErrors.NotFound("block", name, ErrorCode.UnknownBlock), request.HeaderOnly));
    }

    /// <summary>The most state-tree nodes one GetStateNodes call may ask for (a call answers at most ~4,096 records of a few hundred bytes).</summary>
    public const int MaxStateNodesPerCall = 4096;

    public override Task<V1.GetStateNodesResponse> GetStateNodes(V1.GetStateNodesRequest request, ServerCallContext context)
    {
        policy.RequireWholeBlocks(CallerContext.Of(context), "state-tree nodes (a state sync)");
        if (request.Hashes.Count == 0) throw GrpcErrors.BadField("hashes", ErrorCode.MissingField, "ask for at least one state-tree node");
        if (request.Hashes.Count > MaxStateNodesPerCall)
            throw GrpcErrors.BadField("hashes", ErrorCode.Oversize, $"at most {MaxStateNodesPerCall} nodes per call, asked {request.Hashes.Count}");
        var hashes = new Hash32[request.Hashes.Count];
        for (var i = 0; i < hashes.Length; i++) hashes[i] = RequireHash(request.Hashes[i], $"hashes[{i}]");
        var response = new V1.GetStateNodesResponse();
        foreach (var record in api.GetStateNodes(hashes))
            response.Records.Add(record is null ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(record));
        return Task.FromResult(response);
    }

    /// <summary>A read a state-synced node cannot answer from the history it holds: FAILED_PRECONDITION with HistoryNotHeld.</summary>
    private static T HeldOrRefused<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (LedgerException e) when (e.Code == ErrorCode.HistoryNotHeld)
        {
            throw GrpcErrors.Refused(e.Code, e.Message);
        }
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

    public override async Task<V1.GetContractResponse> GetContract(V1.GetContractRequest request, ServerCallContext context)
    {
        RequireContractId(request.ContractId);
        var caller = ReadPolicy.RequireCaller(CallerContext.Of(context), "reading a contract");
        var view = api.GetContract(request.ContractId) ?? throw GrpcErrors.NotFound("contract", request.ContractId, ErrorCode.ContractNotFound);
        var scope = await AuthoriseAsync(caller, view.Record, context.CancellationToken).ConfigureAwait(false);
        var response = new V1.GetContractResponse
        {
            Contract = scope == ReadScope.Full ? ProtoViews.Contract(view.Record) : ProtoViews.ContractWithoutSensitive(view.Record),
        };
        response.Transactions.AddRange(view.History.Select(tx => View(tx, scope, view.Record.Status)));
        return response;
    }

    /// <summary>
    /// Anyone may ask whether a hash is anchored: each tx in the caller's scope in full, every other one in its public
    /// view (when, outcome, contract status). No access record is committed for a search.
    /// </summary>
    public override Task<V1.FindByDocumentHashResponse> FindByDocumentHash(V1.FindByDocumentHashRequest request, ServerCallContext context)
    {
        var hash = RequireHash(request.DocumentHash, "document_hash");
        var caller = CallerContext.Of(context);
        var response = new V1.FindByDocumentHashResponse();
        response.Transactions.AddRange(api.FindByDocumentHash(hash).Select(tx => ViewWithoutRecord(caller, tx)));
        response.BatchDocuments.AddRange(api.FindBatchDocuments(hash).Select(hit => BatchView(caller, hit)));
        return Task.FromResult(response);
    }

    /// <summary>
    /// A batch document is read like its seal tx (no contract record stands behind it): in full for its submitter,
    /// validators and observers; anyone else learns that it is anchored, when, and the batch's size.
    /// </summary>
    private V1.BatchDocument BatchView(Caller? caller, BatchDocumentHit hit)
    {
        var view = new V1.BatchDocument
        {
            SealTxId = ProtoViews.Bytes(hit.Seal.TxId),
            Height = hit.Seal.Height,
            BlockTime = hit.Seal.BlockTimestamp,
            DocumentCount = (uint)hit.DocumentCount,
            Status = "anchored",
            Redacted = true,
        };
        if (caller is not null && (policy.ReadsWholeBlocks(caller) || hit.Submitter == caller.CertificateId))
        {
            view.Redacted = false;
            view.ContractId = hit.Leaf.ContractId;
            view.Grade = (V1.EvidenceGrade)hit.Leaf.Grade;
            view.Root = ProtoViews.Bytes(hit.Root);
            view.LeafIndex = (uint)hit.LeafIndex;
        }
        return view;
    }

    public override async Task<V1.GetEvidenceResponse> GetBatchDocumentEvidence(V1.GetBatchDocumentEvidenceRequest request, ServerCallContext context)
    {
        var hash = RequireHash(request.DocumentHash, "document_hash");
        var caller = ReadPolicy.RequireCaller(CallerContext.Of(context), "an evidence proof");
        var hit = api.FindBatchDocuments(hash).OrderBy(h => h.Seal.Height).ThenBy(h => h.Seal.Index).FirstOrDefault()
            ?? throw GrpcErrors.NotFound("batch document", hash.ToHex(), ErrorCode.DocumentNotAnchored);
        await AuthoriseTransactionAsync(caller, hit.Seal, context.CancellationToken).ConfigureAwait(false);
        var proof = api.GetBatchDocumentEvidence(hash) ?? throw GrpcErrors.NotFound("batch document", hash.ToHex(), ErrorCode.DocumentNotAnchored);
        var header = BlockHeader.Decode(Convert.FromBase64String(proof.Header));
        return new V1.GetEvidenceResponse { ProofJson = proof.ToJson(), Height = header.Height };
    }

    /// <summary>A height's validator set and how it derives from genesis: public, as headers and seals are.</summary>
    public override Task<V1.GetValidatorSetResponse> GetValidatorSet(V1.GetValidatorSetRequest request, ServerCallContext context)
    {
        var set = api.GetValidatorSet(request.Height)
            ?? throw GrpcErrors.NotFound("block", request.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), ErrorCode.UnknownBlock);
        return Task.FromResult(new V1.GetValidatorSetResponse { ValidatorSetJson = set.ToJson() });
    }

    /// <summary>The recorded external anchor covering a height: public, as headers are (chains, blocks and txs, nobody's data).</summary>
    public override Task<V1.ExternalAnchorRecord> GetExternalAnchor(V1.GetExternalAnchorRequest request, ServerCallContext context)
    {
        var anchor = api.GetExternalAnchor(request.Height)
            ?? throw GrpcErrors.NotFound("external anchor covering height", request.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), ErrorCode.CheckpointNotAnchored);
        return Task.FromResult(new V1.ExternalAnchorRecord
        {
            Payload = Google.Protobuf.ByteString.CopyFrom(anchor.Anchor.Encode()),
            RecordTxId = ProtoViews.Bytes(anchor.RecordTxId),
            RecordHeight = anchor.RecordHeight,
        });
    }

    /// <summary>The chain's city CAs with the heights each counts for: public, as headers are (bureaus' certificates, nobody's data).</summary>
    public override Task<V1.GetAuthoritiesResponse> GetAuthorities(V1.GetAuthoritiesRequest request, ServerCallContext context)
    {
        var (height, authorities) = api.GetAuthorities();
        var response = new V1.GetAuthoritiesResponse { Height = height };
        response.Authorities.AddRange(authorities.Select(a => new V1.ChainAuthority
        {
            Certificate = Google.Protobuf.ByteString.CopyFrom(a.Certificate.Span),
            FromHeight = a.FromHeight,
            UntilHeight = a.UntilHeight,
        }));
        return Task.FromResult(response);
    }

    public override async Task<V1.GetEvidenceResponse> GetEvidence(V1.GetEvidenceRequest request, ServerCallContext context)
    {
        var txId = RequireHash(request.TxId, "tx_id");
        var caller = ReadPolicy.RequireCaller(CallerContext.Of(context), "an evidence proof");
        var tx = api.GetTransaction(txId) ?? throw GrpcErrors.NotFound("transaction", txId.ToHex(), ErrorCode.UnknownTransaction);
        var scope = await AuthoriseTransactionAsync(caller, tx, context.CancellationToken).ConfigureAwait(false);
        if (scope != ReadScope.Full && ProtoViews.IsSensitive(tx))
            throw GrpcErrors.PermissionDenied(ErrorCode.OutsideReadScope, "this tx states a sensitive dissolution basis: its proof is for the parties and legal authority");
        var proof = api.GetEvidence(txId) ?? throw GrpcErrors.NotFound("transaction", txId.ToHex(), ErrorCode.UnknownTransaction);
        var header = BlockHeader.Decode(Convert.FromBase64String(proof.Header));
        return new V1.GetEvidenceResponse { ProofJson = proof.ToJson(), Height = header.Height };
    }

    /// <summary>
    /// A contract bundle is read like its contract (every event's tx in full): the contract's read scope, an AccessRecord
    /// committed first for legal authority or consent, and never a bundle stating a sensitive basis outside full scope.
    /// A proof that a contract does not exist names nobody: any authenticated caller may have it.
    /// </summary>
    public override async Task<V1.GetContractEvidenceResponse> GetContractEvidence(V1.GetContractEvidenceRequest request, ServerCallContext context)
    {
        RequireContractId(request.ContractId);
        var caller = ReadPolicy.RequireCaller(CallerContext.Of(context), "a contract bundle");
        if (api.GetContract(request.ContractId) is { } view)
        {
            var scope = await AuthoriseAsync(caller, view.Record, context.CancellationToken).ConfigureAwait(false);
            if (scope != ReadScope.Full && view.History.Any(ProtoViews.IsSensitive))
                throw GrpcErrors.PermissionDenied(ErrorCode.OutsideReadScope, "this contract's history states a sensitive dissolution basis: its bundle is for the parties and legal authority");
        }
        var height = request.Height == 0 ? (ulong?)null : request.Height;
        var bundle = HeldOrRefused(() => api.GetContractEvidence(request.ContractId, height))
            ?? throw GrpcErrors.NotFound("block", request.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), ErrorCode.UnknownBlock);
        return new V1.GetContractEvidenceResponse { BundleJson = bundle.ToJson(), Height = bundle.Height, Found = bundle.Record is not null };
    }

    public override async Task WatchBlocks(V1.WatchBlocksRequest request, IServerStreamWriter<V1.WatchBlocksResponse> responseStream, ServerCallContext context)
    {
        if (!request.HeaderOnly) policy.RequireWholeBlocks(CallerContext.Of(context), "watching whole blocks");
        if (api.GetChainInfo().HistoryFrom is var historyFrom and > 0 && request.FromHeight < historyFrom)
            throw GrpcErrors.Refused(ErrorCode.HistoryNotHeld,
                $"this node joined the chain by state sync at height {historyFrom} and holds no blocks below it; watch from {historyFrom} or ask a node with the whole history");
        await foreach (var block in api.WatchBlocksAsync(request.FromHeight, context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(new V1.WatchBlocksResponse
            {
                Block = request.HeaderOnly ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(block.Encode()),
                Header = UnsafeByteOperations.UnsafeWrap(block.Header.Encode()),
                Height = block.Header.Height,
                BlockHash = ProtoViews.Bytes(block.Header.ComputeHash(Sm3Hasher.Instance)),
                TransactionCount = (uint)block.Transactions.Count,
            }, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<V1.ListAccessRecordsResponse> ListAccessRecords(V1.ListAccessRecordsRequest request, ServerCallContext context)
    {
        var caller = ReadPolicy.RequireCaller(CallerContext.Of(context), "an access log");
        IEnumerable<AccessLogEntry> entries;
        if (!request.WorkerPseudonym.IsEmpty)
        {
            if (!policy.ReadsWholeBlocks(caller))
                throw GrpcErrors.PermissionDenied(ErrorCode.ReadNotPermitted, "only a validator or observer lists a named worker's accesses; a worker lists their own without naming one");
            entries = api.ListAccess(RequireHash(request.WorkerPseudonym, "worker_pseudonym"));
        }
        else if (policy.ReadsWholeBlocks(caller))
        {
            if (string.IsNullOrEmpty(request.ContractId)) throw GrpcErrors.BadField("contract_id", ErrorCode.MissingField, "name the contract or the worker whose accesses to list");
            var view = api.GetContract(request.ContractId) ?? throw GrpcErrors.NotFound("contract", request.ContractId, ErrorCode.ContractNotFound);
            entries = api.ListAccess(WorkerMatch.IndexKey(view.Record)).Where(e => e.ContractId == view.Record.ContractId);
        }
        else if (caller.Role == Core.Identity.Role.Worker)
        {
            entries = WorkerMatch.IndexKey(caller.Identity) is { } own ? api.ListAccess(own) : [];
        }
        else
        {
            throw GrpcErrors.PermissionDenied(ErrorCode.ReadNotPermitted, $"a worker lists the accesses to their contracts; a {caller.Role} does not");
        }
        var response = new V1.ListAccessRecordsResponse();
        foreach (var entry in entries)
        {
            if (!string.IsNullOrEmpty(request.ContractId) && entry.ContractId != request.ContractId) continue;
            response.Records.Add(new V1.AccessRecordEntry
            {
                TxId = ProtoViews.Bytes(entry.TxId),
                ContractId = entry.ContractId,
                AccessorCertificateId = ProtoViews.Bytes(entry.Accessor),
                AccessorRole = entry.AccessorRole.ToString(),
                AccessorName = entry.AccessorName,
                Basis = (V1.AccessBasis)entry.Basis,
                Reference = entry.Reference,
                OnBehalfOf = entry.OnBehalfOf,
                GrantId = entry.GrantId is { } grant ? ProtoViews.Bytes(grant) : ByteString.Empty,
                Height = entry.Height,
                BlockTime = entry.BlockTime,
            });
        }
        return Task.FromResult(response);
    }

    public override Task<V1.Grant> GetGrant(V1.GetGrantRequest request, ServerCallContext context)
    {
        var id = RequireHash(request.GrantId, "grant_id");
        var caller = ReadPolicy.RequireCaller(CallerContext.Of(context), "a grant");
        var grant = api.GetGrant(id) ?? throw GrpcErrors.NotFound("grant", id.ToHex());
        if (grant.Grantor != caller.Identity.KeyId && grant.Grantee != caller.CertificateId && !policy.ReadsWholeBlocks(caller))
            throw GrpcErrors.PermissionDenied(ErrorCode.ReadNotPermitted, "a grant is shown to its grantor and its grantee");
        return Task.FromResult(new V1.Grant
        {
            GrantId = ProtoViews.Bytes(id),
            Kind = (V1.GrantKind)grant.Kind,
            GrantorKeyId = ProtoViews.Bytes(grant.Grantor),
            EmployerCreditCode = grant.EmployerCreditCode,
            ContractId = grant.ContractId,
            Grantee = ProtoViews.Bytes(grant.Grantee),
            Purpose = grant.Purpose,
            NotAfter = grant.NotAfter,
            Height = grant.Height,
            BlockTime = grant.BlockTime,
            RevokedAt = grant.RevokedAt,
        });
    }

    /// <summary>The caller's scope on a contract; commits its AccessRecord first where its scope needs one.</summary>
    private async Task<ReadScope> AuthoriseAsync(Caller caller, ContractRecord record, CancellationToken cancellationToken)
    {
        var scope = policy.ScopeOf(caller, record);
        return scope switch
        {
            ReadScope.Full or ReadScope.WithoutSensitive => scope,
            ReadScope.NeedsLegalBasis or ReadScope.NeedsConsent => await gate.AdmitAsync(caller, record.ContractId, scope, cancellationToken).ConfigureAwait(false),
            _ => throw GrpcErrors.PermissionDenied(ErrorCode.OutsideReadScope, $"contract {record.ContractId} is outside the read scope of {caller.Role} {caller.Certificate.CommonName}"),
        };
    }

    /// <summary>A tx of a contract is read like its contract; any other tx by its submitter, validators and observers.</summary>
    private async Task<ReadScope> AuthoriseTransactionAsync(Caller caller, CommittedTransaction tx, CancellationToken cancellationToken)
    {
        if (ProtoViews.ContractIdOf(tx) is { } contractId && api.GetContract(contractId) is { } view)
            return await AuthoriseAsync(caller, view.Record, cancellationToken).ConfigureAwait(false);
        if (policy.ReadsWholeBlocks(caller) || SubmittedBy(tx, caller)) return ReadScope.Full;
        throw GrpcErrors.PermissionDenied(ErrorCode.ReadNotPermitted, "this tx is shown to its submitter, validators and observers");
    }

    /// <summary>In full where the caller's scope allows it without an access record, else the public view.</summary>
    private V1.CommittedTransaction ViewWithoutRecord(Caller? caller, CommittedTransaction tx)
    {
        var contractId = ProtoViews.ContractIdOf(tx);
        var record = contractId is null ? null : api.GetContract(contractId)?.Record;
        var status = record?.Status ?? ContractStatus.Unspecified;
        if (caller is null) return ProtoViews.PublicView(tx, status);
        if (record is null)
            return policy.ReadsWholeBlocks(caller) || SubmittedBy(tx, caller) ? ProtoViews.Transaction(tx) : ProtoViews.PublicView(tx, status);
        var scope = policy.ScopeOf(caller, record);
        if (scope is ReadScope.Full or ReadScope.WithoutSensitive) return View(tx, scope, status);
        return SubmittedBy(tx, caller) ? ProtoViews.Transaction(tx) : ProtoViews.PublicView(tx, status);
    }

    private static V1.CommittedTransaction View(CommittedTransaction tx, ReadScope scope, ContractStatus status = ContractStatus.Unspecified)
    {
        if (scope != ReadScope.Full && ProtoViews.IsSensitive(tx)) return ProtoViews.PublicView(tx, status);
        var view = ProtoViews.Transaction(tx);
        view.ContractStatus = (V1.ContractStatus)status;   // the contract's status now, as the public view carries it
        return view;
    }

    private static bool SubmittedBy(CommittedTransaction tx, Caller caller)
    {
        try
        {
            return tx.Decode().Body.Submitter == caller.CertificateId;
        }
        catch (LedgerException)
        {
            return false;
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
        return ViewWithoutRecord(CallerContext.Of(context), tx ?? throw GrpcErrors.DeadlineExceeded($"tx {txId.ToHex()} not committed within {timeout.TotalMilliseconds:0} ms"));
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
