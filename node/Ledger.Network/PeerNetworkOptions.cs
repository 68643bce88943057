using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Ledger.Network;

/// <summary>Configuration of a <see cref="PeerNetwork"/>.</summary>
/// <param name="ChainId">The chain id; a peer of another chain is refused.</param>
/// <param name="Peers">The other validators to dial (not this one).</param>
public sealed record PeerNetworkOptions(string ChainId, IReadOnlyList<PeerEndpoint> Peers)
{
    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Consensus frames queued per peer; when full the oldest is dropped (and counted).</summary>
    public int SendQueueCapacity { get; init; } = 10_000;

    /// <summary>Gossiped txs queued per peer, apart from consensus frames (which always go first); when full the oldest is dropped (and counted).</summary>
    public int GossipQueueCapacity { get; init; } = 2_000;

    /// <summary>
    /// Txs received from peers that wait for admission. Admission (signature checks) runs off the streams' read loops, so
    /// a peer's consensus messages are never read behind its gossip; when this backlog is full a gossiped tx is dropped
    /// (counted) — its submitter's node still holds it and proposes it in its own rounds.
    /// </summary>
    public int InboundTransactionCapacity { get; init; } = 4_000;

    /// <summary>Threads admitting gossiped txs.</summary>
    public int TransactionWorkers { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How often this validator tells each peer its committed head.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time allowed for each handshake step.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Signs this validator's unary and server-streaming calls to peers (block fetches), which peers authenticate like any client's.</summary>
    public Grpc.Core.Interceptors.Interceptor? CallSigner { get; init; }
    /// <summary>
    /// TLS for outbound streams to https:// peers: the consortium's transport CA pinned, this validator's transport
    /// certificate presented (mutual TLS). Null: the platform's defaults (plaintext for http:// peers, --insecure).
    /// </summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    /// <summary>
    /// Mutual TLS bound to validator names: the validator names a transport certificate carries (none for a consortium
    /// member's). When set, an inbound peer call must come with a client certificate (the TLS layer has already
    /// checked that it chains to the consortium's transport CA) naming a validator of the chain — for <c>Connect</c>
    /// the very validator its SM2 handshake then authenticates — and an outbound stream accepts only a server
    /// certificate naming the peer it dials, whose SM2 handshake must authenticate that validator. Null: no TLS
    /// identity checks (plaintext, <c>--insecure</c>).
    /// </summary>
    public Func<X509Certificate2, IReadOnlyList<string>>? TransportNames { get; init; }
}
