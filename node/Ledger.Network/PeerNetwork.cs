using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;
using Ledger.Proto.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Network;

/// <summary>
/// The validator-to-validator transport (peer_service.proto). Dials every configured peer and keeps one authenticated
/// outbound stream to each for what this validator sends; receives on the streams other validators dial in to
/// <see cref="PeerGrpcService"/>. Sending never blocks and never throws: each peer has two bounded queues (oldest dropped
/// when full), consensus and gossip, drained by one writer that puts consensus first. Received consensus frames go to
/// the handlers at once; received txs wait in a bounded backlog for admission workers, so reading a peer's stream never
/// waits on signature checks.
/// </summary>
public sealed class PeerNetwork : IConsensusTransport, IAsyncDisposable
{
    /// <summary>Largest consensus frame: a proposal carries a whole block and its justification.</summary>
    public const int MaxConsensusMessageBytes = SignedMessage.MaxEncodedBytes;

    /// <summary>Largest gossiped transaction envelope.</summary>
    public const int MaxTransactionBytes = 128 * 1024;

    /// <summary>The gRPC message size limit both sides need (the node sets it on the PeerService, see README).</summary>
    public const int MaxFrameBytes = MaxConsensusMessageBytes + 64 * 1024;

    /// <summary>Most blocks one GetBlocks call returns.</summary>
    public const int MaxBlocksPerRequest = 256;

    private readonly PeerNetworkOptions _options;
    private readonly IPeerHandlers _handlers;
    private readonly ILogger<PeerNetwork> _logger;
    private volatile PeerConnection[] _peers; // replaced whole when peers are added; readers take one snapshot
    private readonly Lock _peersGate = new();
    private readonly ConcurrentDictionary<Hash32, InboundPeer> _inbound = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly System.Threading.Channels.Channel<ReadOnlyMemory<byte>> _received;
    private Task[] _admitting = [];
    private int _started;
    private int _disposed;

    public PeerNetwork(PeerNetworkOptions options, IPeerAuthenticator auth, IPeerHandlers handlers, ILogger<PeerNetwork>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(handlers);
        if (string.IsNullOrEmpty(options.ChainId)) throw new ArgumentException("a chain id is required", nameof(options));
        if (options.SendQueueCapacity < 1) throw new ArgumentException("SendQueueCapacity must be at least 1", nameof(options));
        if (options.StatusInterval <= TimeSpan.Zero || options.MinBackoff <= TimeSpan.Zero)
            throw new ArgumentException("StatusInterval and MinBackoff must be positive", nameof(options));
        _options = options;
        Authenticator = auth;
        _handlers = handlers;
        _logger = logger ?? NullLogger<PeerNetwork>.Instance;
        if (options.InboundTransactionCapacity < 1 || options.TransactionWorkers < 1 || options.GossipQueueCapacity < 1)
            throw new ArgumentException("InboundTransactionCapacity, TransactionWorkers and GossipQueueCapacity must be at least 1", nameof(options));
        _peers = options.Peers.Select(p => new PeerConnection(p, this, options, _logger)).ToArray();
        _received = System.Threading.Channels.Channel.CreateBounded<ReadOnlyMemory<byte>>(
            new System.Threading.Channels.BoundedChannelOptions(options.InboundTransactionCapacity) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite },
            _ => Metrics.CountDrop(DropReason.TransactionBacklog));
    }

    /// <summary>Gossiped txs received and not yet admitted.</summary>
    public int TransactionBacklog => _received.Reader.Count;

    public NetworkMetrics Metrics { get; } = new();

    internal IPeerAuthenticator Authenticator { get; }

    /// <summary>Every configured peer, in configuration order.</summary>
    public IReadOnlyList<PeerStatus> Peers => _peers.Select(p =>
    {
        var id = p.ValidatorId;
        InboundPeer? inbound = null;
        if (id is not null) _inbound.TryGetValue(id.Value, out inbound);
        return new PeerStatus(p.Endpoint.Name, p.Endpoint.Address, id, p.Connected, inbound?.LastSeen, inbound?.Height);
    }).ToArray();

    /// <summary>The highest committed head any authenticated validator reported to us (0 if none did).</summary>
    public ulong HighestPeerHeight => _inbound.Values.Select(i => i.Height ?? 0).DefaultIfEmpty(0UL).Max();

    /// <summary>
    /// Adds the peers of <paramref name="endpoints"/> this network does not dial yet (same name and address), and dials them
    /// if it runs: a validator voted in after this node started is reached without a restart (a reloaded config names it).
    /// Peers no longer listed are kept: one voted out is refused by the set anyway. Returns the names added.
    /// </summary>
    public IReadOnlyList<string> AddPeers(IEnumerable<PeerEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        lock (_peersGate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var current = _peers;
            var added = endpoints
                .Where(e => !current.Any(p => p.Endpoint.Name == e.Name && p.Endpoint.Address == e.Address))
                .DistinctBy(e => (e.Name, e.Address))
                .Select(e => new PeerConnection(e, this, _options, _logger))
                .ToArray();
            if (added.Length == 0) return [];
            _peers = [.. current, .. added];
            if (Volatile.Read(ref _started) != 0)
                foreach (var peer in added) peer.Start(_stopping.Token);
            foreach (var peer in added) _logger.LogInformation("Peer {Name} at {Address} added; dialling it", peer.Endpoint.Name, peer.Endpoint.Address);
            return added.Select(p => p.Endpoint.Name).ToArray();
        }
    }

    /// <summary>Dials every peer; each reconnects with exponential backoff and jitter until the network is disposed.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_peersGate)
        {
            if (Interlocked.Exchange(ref _started, 1) != 0) return;
            foreach (var peer in _peers) peer.Start(_stopping.Token);
            _admitting = Enumerable.Range(0, _options.TransactionWorkers).Select(_ => Task.Run(AdmitReceivedAsync, CancellationToken.None)).ToArray();
        }
    }

    public void Broadcast(SignedMessage message)
    {
        try
        {
            var payload = ConsensusPayloadOf(message);
            if (payload is null) return;
            foreach (var peer in _peers) peer.Enqueue(new OutgoingFrame(payload, Consensus: true));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Broadcast of a consensus message failed");
        }
    }

    public void Send(Hash32 validator, SignedMessage message)
    {
        try
        {
            var targets = _peers.Where(p => p.ValidatorId == validator).ToArray();
            if (targets.Length == 0)
            {
                Metrics.CountDrop(DropReason.UnknownPeer);
                _logger.LogWarning("Send to validator {ValidatorId}: no peer has authenticated as it", validator);
                return;
            }
            var payload = ConsensusPayloadOf(message);
            if (payload is null) return;
            foreach (var peer in targets) peer.Enqueue(new OutgoingFrame(payload, Consensus: true));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Send of a consensus message to {ValidatorId} failed", validator);
        }
    }

    /// <summary>To every connected peer; best effort (a peer not connected now does not get it later).</summary>
    public void GossipTransaction(ReadOnlyMemory<byte> envelope)
    {
        try
        {
            if (envelope.Length > MaxTransactionBytes)
            {
                Metrics.CountDrop(DropReason.Oversize);
                _logger.LogWarning("Gossip: a transaction of {Bytes} bytes is above the cap of {Cap}", envelope.Length, MaxTransactionBytes);
                return;
            }
            var payload = ByteString.CopyFrom(envelope.Span);
            foreach (var peer in _peers)
                if (peer.Connected) peer.Enqueue(new OutgoingFrame(payload, Consensus: false));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Gossip of a transaction failed");
        }
    }

    /// <summary>
    /// Blocks [fromHeight, fromHeight + maxBlocks) in order from a connected peer that reports a head at or above
    /// fromHeight (the highest first; the next on failure). Bytes as served: verify every certificate before import.
    /// Empty when no peer has them.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> FetchBlocksAsync(ulong fromHeight, int maxBlocks, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlocks, 1);
        var max = Math.Min(maxBlocks, MaxBlocksPerRequest);
        var candidates = _peers
            .Select(p => (Peer: p, Id: p.ValidatorId))
            .Where(c => c.Id is not null && c.Peer.Connected)
            .Select(c => (c.Peer, Height: _inbound.TryGetValue(c.Id!.Value, out var i) ? i.Height : null))
            .Where(c => c.Height is not null && c.Height.Value >= fromHeight)
            .OrderByDescending(c => c.Height!.Value)
            .ToArray();
        foreach (var (peer, _) in candidates)
        {
            try
            {
                var blocks = new List<byte[]>();
                using var call = peer.Client.GetBlocks(new GetBlocksRequest { FromHeight = fromHeight, MaxBlocks = (uint)max }, cancellationToken: ct);
                var expected = fromHeight;
                await foreach (var block in call.ResponseStream.ReadAllAsync(ct))
                {
                    if (block.Height != expected) throw new IOException($"served height {block.Height} where {expected} was due");
                    blocks.Add(block.Block.ToByteArray());
                    if (blocks.Count == max) break;
                    expected++;
                }
                if (blocks.Count > 0) return blocks;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                _logger.LogWarning("Block sync from {Peer} at {Address} failed: {Error}", peer.Endpoint.Name, peer.Endpoint.Address, e.Message);
            }
        }
        return [];
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stopping.CancelAsync();
        _received.Writer.TryComplete();
        PeerConnection[] peers;
        lock (_peersGate) peers = _peers;
        foreach (var peer in peers) await peer.DisposeAsync();
        await Task.WhenAll(_admitting);
        _stopping.Dispose();
    }

    internal ulong? SafeHeight()
    {
        try
        {
            return _handlers.Height;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "The handlers' Height threw; no status sent this time");
            return null;
        }
    }

    /// <summary>A dialer's stream to us: challenge, authenticate, answer, then hand its frames to the handlers.</summary>
    internal async Task HandleInboundAsync(IAsyncStreamReader<PeerFrame> requests, IServerStreamWriter<PeerFrame> responses, ServerCallContext context)
    {
        CancellationToken stopping;
        try
        {
            stopping = _stopping.Token;
        }
        catch (ObjectDisposedException)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "shutting down"));
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        var ct = cts.Token;
        var remote = context.Peer;
        var transportNames = RequireValidatorTransportCertificate(context, "Connect");

        var serverNonce = Handshake.NewNonce();
        await responses.WriteAsync(new PeerFrame { Challenge = new PeerChallenge { Nonce = ByteString.CopyFrom(serverNonce), ChainId = _options.ChainId } }, ct);
        PeerFrame first;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(_options.HandshakeTimeout);
            bool any;
            try
            {
                any = await requests.MoveNext(timeout.Token);
            }
            catch (Exception) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw Refuse(remote, "no Hello in time");
            }
            if (!any) throw Refuse(remote, "closed before its Hello");
            first = requests.Current;
        }
        if (first.KindCase != PeerFrame.KindOneofCase.Hello) throw Refuse(remote, $"first frame is {first.KindCase}, not a Hello");
        var hello = first.Hello;
        if (hello.ChainId != _options.ChainId) throw Refuse(remote, $"chain id '{hello.ChainId}' is not ours");
        if (hello.Challenge.Length != Handshake.NonceSize) throw Refuse(remote, "its challenge is not 32 bytes");
        if (hello.Certificate.Length > Handshake.MaxCertificateBytes || hello.Signature.Length > Handshake.MaxSignatureBytes)
            throw Refuse(remote, "an oversized certificate or signature");
        var dialerNonce = hello.Challenge.ToByteArray();
        if (!Authenticator.TryAuthenticate(hello.Certificate.Span, Handshake.Transcript(dialer: true, _options.ChainId, serverNonce, dialerNonce), hello.Signature.Span, out var id))
            throw Refuse(remote, "not a validator's certificate, or a bad signature");
        if (id == Authenticator.OwnId) throw Refuse(remote, "it is this validator");
        if (transportNames is not null && (Authenticator.NameOf(id) is not { } authenticated || !transportNames.Contains(authenticated, StringComparer.Ordinal)))
            throw Refuse(remote, $"its transport certificate names {string.Join(", ", transportNames)}, but its SM2 handshake authenticated validator {Authenticator.NameOf(id) ?? id.ToString()}",
                StatusCode.PermissionDenied, ErrorCode.TransportCertificateNameMismatch);

        var signature = Authenticator.Sign(Handshake.Transcript(dialer: false, _options.ChainId, serverNonce, dialerNonce));
        await responses.WriteAsync(new PeerFrame
        {
            Hello = new PeerHello
            {
                ChainId = _options.ChainId,
                Certificate = ByteString.CopyFrom(Authenticator.OwnCertificate.Span),
                Signature = ByteString.CopyFrom(signature),
            },
        }, ct);

        var peer = _inbound.GetOrAdd(id, _ => new InboundPeer());
        peer.StreamOpened();
        peer.Seen();
        _logger.LogInformation("Inbound stream from validator {ValidatorId} at {Remote} authenticated", id, remote);
        try
        {
            while (await requests.MoveNext(ct))
            {
                peer.Seen();
                Dispatch(id, peer, requests.Current, remote);
            }
            _logger.LogInformation("Inbound stream from validator {ValidatorId} at {Remote} ended", id, remote);
        }
        catch (Exception e) when (e is not RpcException { StatusCode: StatusCode.InvalidArgument })
        {
            if (!stopping.IsCancellationRequested)
                _logger.LogWarning("Inbound stream from validator {ValidatorId} at {Remote} failed: {Error}", id, remote, e.Message);
        }
        finally
        {
            peer.StreamClosed();
        }
    }

    internal async Task ServeBlocksAsync(GetBlocksRequest request, IServerStreamWriter<BlockBytes> responses, ServerCallContext context)
    {
        RequireValidatorTransportCertificate(context, "GetBlocks");
        var max = Math.Min(request.MaxBlocks, (uint)MaxBlocksPerRequest);
        for (ulong i = 0; i < max; i++)
        {
            if (request.FromHeight > ulong.MaxValue - i) break;
            var height = request.FromHeight + i;
            byte[]? block;
            try
            {
                block = _handlers.GetBlock(height);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Serving block {Height} to {Remote} failed", height, context.Peer);
                throw new RpcException(new Grpc.Core.Status(StatusCode.Internal, "block unavailable"));
            }
            if (block is null) break;
            await responses.WriteAsync(new BlockBytes { Height = height, Block = UnsafeByteOperations.UnsafeWrap(block) }, context.CancellationToken);
        }
    }

    private void Dispatch(Hash32 from, InboundPeer peer, PeerFrame frame, string remote)
    {
        switch (frame.KindCase)
        {
            case PeerFrame.KindOneofCase.ConsensusMessage:
                if (frame.ConsensusMessage.Length > MaxConsensusMessageBytes)
                {
                    Metrics.CountDrop(DropReason.Oversize);
                    _logger.LogWarning("Validator {ValidatorId}: a consensus frame of {Bytes} bytes dropped", from, frame.ConsensusMessage.Length);
                    return;
                }
                try
                {
                    _handlers.OnConsensusMessage(from, frame.ConsensusMessage.Memory);
                    Metrics.CountReceived(consensus: true);
                }
                catch (Exception e)
                {
                    Metrics.CountDrop(DropReason.HandlerFailed);
                    _logger.LogError(e, "The consensus handler threw on a message from {ValidatorId}", from);
                }
                return;
            case PeerFrame.KindOneofCase.Transaction:
                if (frame.Transaction.Length > MaxTransactionBytes)
                {
                    Metrics.CountDrop(DropReason.Oversize);
                    _logger.LogWarning("Validator {ValidatorId}: a transaction of {Bytes} bytes dropped", from, frame.Transaction.Length);
                    return;
                }
                // Admission verifies signatures: it runs on the workers, never on this read loop, which must get to the
                // peer's next consensus frame. A full backlog drops the tx (counted by the channel).
                if (_received.Writer.TryWrite(frame.Transaction.Memory)) Metrics.CountReceived(consensus: false);
                return;
            case PeerFrame.KindOneofCase.Status:
                peer.Report(frame.Status.Height);
                return;
            default:
                Metrics.CountDrop(DropReason.ProtocolViolation);
                _logger.LogWarning("Validator {ValidatorId} at {Remote}: unexpected {Kind} frame; closing", from, remote, frame.KindCase);
                throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "unexpected frame"));
        }
    }

    /// <summary>One admission worker: hands gossiped txs to the handlers until the network is disposed.</summary>
    private async Task AdmitReceivedAsync()
    {
        try
        {
            await foreach (var envelope in _received.Reader.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    _handlers.OnTransaction(envelope);
                }
                catch (Exception e)
                {
                    Metrics.CountDrop(DropReason.HandlerFailed);
                    _logger.LogError(e, "The transaction handler threw on a gossiped transaction");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Mutual TLS bound to validators: a peer call must carry a transport client certificate (Unauthenticated
    /// otherwise) naming a validator of the chain (PermissionDenied otherwise: a consortium member's certificate
    /// from the same transport CA opens no peer endpoint). Answers the names it carries; null when TLS identities are
    /// not checked (plaintext).
    /// </summary>
    private IReadOnlyList<string>? RequireValidatorTransportCertificate(ServerCallContext context, string call)
    {
        if (_options.TransportNames is null) return null;
        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        if (certificate is null)
            throw Refuse(context.Peer, $"{call} without a transport client certificate (validators use mutual TLS)", StatusCode.Unauthenticated, ErrorCode.TransportCertificateMissing);
        var names = _options.TransportNames(certificate);
        if (!names.Any(Authenticator.IsValidator))
            throw Refuse(context.Peer, $"{call} with the transport certificate '{certificate.Subject}', which names no validator of the chain",
                StatusCode.PermissionDenied, ErrorCode.NotAValidatorTransportCertificate);
        return names;
    }

    private RpcException Refuse(string remote, string reason) => Refuse(remote, reason, StatusCode.Unauthenticated, null);

    /// <summary>
    /// A refused peer call, counted and logged with its reason; the caller learns the status and, for a transport
    /// certificate refusal, the ErrorCode (google.rpc.ErrorInfo, as the node's client API names refusals).
    /// </summary>
    private RpcException Refuse(string remote, string reason, StatusCode status, ErrorCode? code)
    {
        Metrics.CountAuthFailure();
        _logger.LogWarning("Inbound peer call from {Remote} refused: {Reason}", remote, reason);
        if (code is null) return new RpcException(new Grpc.Core.Status(status, "handshake refused"));
        var rich = new Google.Rpc.Status { Code = (int)status, Message = $"peer call refused: {code}" };
        rich.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new ErrorInfo
        {
            Domain = MalformedRequests.Domain,
            Reason = code.Value.ToString(),
            Metadata = { [MalformedRequests.CodeKey] = ((int)code.Value).ToString(CultureInfo.InvariantCulture) },
        }));
        return rich.ToRpcException();
    }

    private ByteString? ConsensusPayloadOf(SignedMessage message)
    {
        var bytes = message.Bytes;
        if (bytes.Length > MaxConsensusMessageBytes)
        {
            Metrics.CountDrop(DropReason.Oversize);
            _logger.LogWarning("A consensus message of {Bytes} bytes is above the cap of {Cap}", bytes.Length, MaxConsensusMessageBytes);
            return null;
        }
        // SignedMessage.Bytes is computed once and never modified: no copy of a block-sized array per broadcast.
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }
}
