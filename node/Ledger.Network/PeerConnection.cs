using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Core;
using Ledger.Proto.V1;
using Microsoft.Extensions.Logging;

namespace Ledger.Network;

/// <summary>
/// Our outbound stream to one configured peer: two bounded queues (drop oldest) — consensus messages and tx gossip —
/// one writer that always empties the consensus queue first, and a dial loop that reconnects with exponential backoff
/// and jitter until disposed. A flood of gossip therefore never delays a PREPARE, COMMIT or ROUND-CHANGE by more than
/// the one gossip frame being written, and never pushes one out of its queue.
/// </summary>
internal sealed class PeerConnection : IAsyncDisposable
{
    private readonly PeerNetwork _network;
    private readonly PeerNetworkOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<OutgoingFrame> _queue;
    private readonly Channel<OutgoingFrame> _gossip;
    private readonly GrpcChannel _channel;
    private readonly Lock _gate = new();
    private Hash32? _validatorId;
    private volatile bool _connected;
    private bool _connectedOnce; // touched by the dial loop only
    private Task _run = Task.CompletedTask;

    public PeerConnection(PeerEndpoint endpoint, PeerNetwork network, PeerNetworkOptions options, ILogger logger)
    {
        Endpoint = endpoint;
        _network = network;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<OutgoingFrame>(
            new BoundedChannelOptions(options.SendQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => network.Metrics.CountDrop(DropReason.QueueFull));
        _gossip = Channel.CreateBounded<OutgoingFrame>(
            new BoundedChannelOptions(options.GossipQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => network.Metrics.CountDrop(DropReason.GossipQueueFull));
        _channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(5),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                EnableMultipleHttp2Connections = true,
                SslOptions = BoundTls(options, endpoint, logger) ?? new(),
            },
            MaxReceiveMessageSize = PeerNetwork.MaxFrameBytes,
            MaxSendMessageSize = PeerNetwork.MaxFrameBytes,
        });
        Client = options.CallSigner is { } signer
            ? new PeerService.PeerServiceClient(Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(_channel.CreateCallInvoker(), signer))
            : new PeerService.PeerServiceClient(_channel);
    }

    public PeerEndpoint Endpoint { get; }

    /// <summary>
    /// The TLS options for this peer: the consortium's (CA pinned, our certificate presented), and — when transport
    /// names are checked — a server certificate must also name the validator this endpoint is configured as, so a
    /// member's or another validator's certificate cannot answer for it.
    /// </summary>
    private static SslClientAuthenticationOptions? BoundTls(PeerNetworkOptions options, PeerEndpoint endpoint, ILogger logger)
    {
        if (options.Tls is not { } tls || options.TransportNames is not { } namesOf) return options.Tls;
        var trusted = tls.RemoteCertificateValidationCallback;
        return new SslClientAuthenticationOptions
        {
            ClientCertificates = tls.ClientCertificates,
            LocalCertificateSelectionCallback = tls.LocalCertificateSelectionCallback,
            EnabledSslProtocols = tls.EnabledSslProtocols,
            CertificateRevocationCheckMode = tls.CertificateRevocationCheckMode,
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                if (trusted is not null && !trusted(sender, certificate, chain, errors)) return false;
                if (certificate is null) return false;
                using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                var names = namesOf(leaf);
                if (names.Contains(endpoint.Name, StringComparer.Ordinal)) return true;
                logger.LogWarning("Peer {Peer} at {Address}: its transport certificate names validator(s) [{Names}], not {Expected}; refused",
                    endpoint.Name, endpoint.Address, string.Join(", ", names), endpoint.Name);
                return false;
            },
        };
    }

    public PeerService.PeerServiceClient Client { get; }

    /// <summary>The peer's certificate id, from the last successful handshake.</summary>
    public Hash32? ValidatorId
    {
        get
        {
            lock (_gate) return _validatorId;
        }
    }

    public bool Connected => _connected;

    /// <summary>Never blocks: a full queue drops its oldest frame (counted). Consensus and gossip have a queue each.</summary>
    public void Enqueue(OutgoingFrame frame) => (frame.Consensus ? _queue : _gossip).Writer.TryWrite(frame);

    /// <summary>Frames waiting: (consensus, gossip).</summary>
    public (int Consensus, int Gossip) Queued => (_queue.Reader.Count, _gossip.Reader.Count);

    public void Start(CancellationToken stopping) => _run = Task.Run(() => RunAsync(stopping), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        _gossip.Writer.TryComplete();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }
        _channel.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        var first = true;
        while (!stopping.IsCancellationRequested)
        {
            if (!first) _network.Metrics.CountReconnect();
            first = false;
            try
            {
                await ConnectOnceAsync(stopping);
                _logger.LogWarning("Peer {Peer} at {Address}: stream closed by the peer", Endpoint.Name, Endpoint.Address);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (PeerHandshakeException e)
            {
                _network.Metrics.CountAuthFailure();
                _logger.LogWarning("Peer {Peer} at {Address}: handshake refused: {Reason}", Endpoint.Name, Endpoint.Address, e.Message);
            }
            catch (Exception e)
            {
                _logger.LogWarning("Peer {Peer} at {Address}: connection failed: {Error}", Endpoint.Name, Endpoint.Address, e.Message);
            }
            finally
            {
                _connected = false;
            }
            if (_connectedOnce) failures = 0; // a connection that worked retries at once-ish, a dead peer backs off
            _connectedOnce = false;
            var delay = Backoff(failures++);
            _logger.LogInformation("Peer {Peer} at {Address}: reconnecting in {DelayMs} ms", Endpoint.Name, Endpoint.Address, (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var min = _options.MinBackoff.TotalMilliseconds;
        var max = Math.Max(min, _options.MaxBackoff.TotalMilliseconds);
        var ceiling = Math.Min(max, min * Math.Pow(2, Math.Min(failures, 30)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + 0.5 * Random.Shared.NextDouble()));
    }

    /// <summary>One connection: handshake, then write until either direction ends.</summary>
    private async Task ConnectOnceAsync(CancellationToken stopping)
    {
        using var callCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var call = Client.Connect(cancellationToken: callCts.Token);

        var challengeFrame = await ReadHandshakeFrameAsync(call.ResponseStream, callCts.Token);
        if (challengeFrame.KindCase != PeerFrame.KindOneofCase.Challenge) throw new PeerHandshakeException($"expected a Challenge, got {challengeFrame.KindCase}");
        var challenge = challengeFrame.Challenge;
        if (challenge.ChainId != _options.ChainId) throw new PeerHandshakeException($"chain id '{challenge.ChainId}' is not ours");
        if (challenge.Nonce.Length != Handshake.NonceSize) throw new PeerHandshakeException("a challenge nonce is not 32 bytes");
        var serverNonce = challenge.Nonce.ToByteArray();
        var ownNonce = Handshake.NewNonce();
        var auth = _network.Authenticator;
        var signature = auth.Sign(Handshake.Transcript(dialer: true, _options.ChainId, serverNonce, ownNonce));
        await call.RequestStream.WriteAsync(new PeerFrame
        {
            Hello = new PeerHello
            {
                ChainId = _options.ChainId,
                Certificate = ByteString.CopyFrom(auth.OwnCertificate.Span),
                Signature = ByteString.CopyFrom(signature),
                Challenge = ByteString.CopyFrom(ownNonce),
            },
        }, callCts.Token);

        var helloFrame = await ReadHandshakeFrameAsync(call.ResponseStream, callCts.Token);
        if (helloFrame.KindCase != PeerFrame.KindOneofCase.Hello) throw new PeerHandshakeException($"expected a Hello, got {helloFrame.KindCase}");
        var hello = helloFrame.Hello;
        if (hello.ChainId != _options.ChainId) throw new PeerHandshakeException($"chain id '{hello.ChainId}' is not ours");
        if (hello.Certificate.Length > Handshake.MaxCertificateBytes || hello.Signature.Length > Handshake.MaxSignatureBytes)
            throw new PeerHandshakeException("an oversized certificate or signature");
        if (!auth.TryAuthenticate(hello.Certificate.Span, Handshake.Transcript(dialer: false, _options.ChainId, serverNonce, ownNonce), hello.Signature.Span, out var id))
            throw new PeerHandshakeException("not a validator's certificate, or a bad signature");
        if (id == auth.OwnId) throw new PeerHandshakeException("the peer is this validator");
        // TLS showed a certificate naming Endpoint.Name; the SM2 handshake must authenticate that same validator.
        if (_options.TransportNames is not null && auth.NameOf(id) != Endpoint.Name)
            throw new PeerHandshakeException($"its SM2 handshake authenticated validator {auth.NameOf(id) ?? id.ToString()}, not {Endpoint.Name} whose transport certificate it showed");

        lock (_gate) _validatorId = id;
        _connected = true;
        _connectedOnce = true;
        _network.Metrics.CountConnection();
        _logger.LogInformation("Peer {Peer} at {Address}: connected, validator {ValidatorId}", Endpoint.Name, Endpoint.Address, id);

        var reading = DrainAsync(call.ResponseStream, callCts.Token);
        var writing = WriteLoopAsync(call.RequestStream, callCts.Token);
        var ended = await Task.WhenAny(reading, writing);
        _connected = false;
        await callCts.CancelAsync();
        try
        {
            await Task.WhenAll(reading, writing);
        }
        catch (Exception)
        {
            // The direction that did not end first was cancelled; the one that ended first says why (below).
        }
        stopping.ThrowIfCancellationRequested();
        await ended;
    }

    private async Task<PeerFrame> ReadHandshakeFrameAsync(IAsyncStreamReader<PeerFrame> stream, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            if (!await stream.MoveNext(timeout.Token)) throw new IOException("the peer closed the stream during the handshake");
        }
        catch (Exception) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException("handshake timed out");
        }
        return stream.Current;
    }

    /// <summary>After its Hello the server sends nothing; the end of its stream is the end of the connection.</summary>
    private async Task DrainAsync(IAsyncStreamReader<PeerFrame> stream, CancellationToken ct)
    {
        while (await stream.MoveNext(ct))
        {
            _network.Metrics.CountDrop(DropReason.ProtocolViolation);
            throw new IOException($"unexpected {stream.Current.KindCase} frame after the handshake");
        }
    }

    internal async Task WriteLoopAsync(IClientStreamWriter<PeerFrame> stream, CancellationToken ct)
    {
        var interval = (long)(_options.StatusInterval.TotalSeconds * Stopwatch.Frequency);
        var nextStatus = 0L;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (Stopwatch.GetTimestamp() >= nextStatus)
            {
                var height = _network.SafeHeight();
                if (height is not null) await stream.WriteAsync(new PeerFrame { Status = new PeerHeadStatus { Height = height.Value } }, ct);
                nextStatus = Stopwatch.GetTimestamp() + interval;
            }
            // Consensus first, every time: a gossip frame goes out only when no consensus frame waits.
            while (Stopwatch.GetTimestamp() < nextStatus && (_queue.Reader.TryRead(out var item) || _gossip.Reader.TryRead(out item)))
            {
                try
                {
                    await stream.WriteAsync(item.ToFrame(), ct);
                }
                catch
                {
                    _network.Metrics.CountDrop(DropReason.WriteFailed);
                    throw;
                }
                _network.Metrics.CountSent(item.Consensus);
            }
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), nextStatus);
            if (wait <= TimeSpan.Zero) continue;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(wait);
            try
            {
                var consensus = _queue.Reader.WaitToReadAsync(timer.Token).AsTask();
                var gossip = _gossip.Reader.WaitToReadAsync(timer.Token).AsTask();
                var first = await Task.WhenAny(consensus, gossip);
                if (!await first) return; // queue completed: the network is being disposed
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Status due.
            }
        }
    }
}
