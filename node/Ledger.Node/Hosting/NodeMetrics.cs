using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using Ledger.Chain;
using Ledger.Consensus;
using Ledger.Network;
using Ledger.Node.Qbft;
using Ledger.Telemetry;

namespace Ledger.Node.Hosting;

/// <summary>
/// The node's instruments, on its own meter "ledger" (so exported as <c>ledger_*</c> on /metrics). Counts kept by
/// the domain (<see cref="ChainMetrics"/>, <see cref="ConsensusMetrics"/>, <see cref="NetworkMetrics"/>) are observable
/// instruments read at scrape time; latencies are histograms recorded where they happen: admission and block
/// commit by <see cref="ChainMetrics"/>, consensus rounds by the QBFT driver, WaitForCommit by the gRPC service.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    private readonly MetricsExporter _exporter;

    public NodeMetrics(NodeRuntime runtime, X509Certificate2? transportCertificate = null) : this(runtime.Chain, runtime.Driver, runtime.Network)
    {
        // When each certificate this node depends on stops being valid: its validator certificate (its seals and
        // admission of its own identity), the CAs of genesis it chains to, and its TLS certificate (peers refuse it after).
        var certificates = new List<(string Kind, string Subject, long NotAfter)>
        {
            ("validator", runtime.Certificate.CommonName, runtime.Certificate.NotAfter.ToUnixTimeSeconds()),
        };
        certificates.AddRange(runtime.ChainValidator.Authorities.Select((c, i) => (i == 0 ? "root_ca" : "city_ca", c.CommonName, c.NotAfter.ToUnixTimeSeconds())));
        if (transportCertificate is not null)
            certificates.Add(("tls", transportCertificate.GetNameInfo(X509NameType.SimpleName, false), new DateTimeOffset(transportCertificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds()));
        _exporter.Meter.CreateObservableGauge("certificate_expiry_timestamp_seconds",
            () => certificates.Select(c => new Measurement<long>(c.NotAfter,
                new KeyValuePair<string, object?>("certificate", c.Kind), new KeyValuePair<string, object?>("subject", c.Subject))),
            description: "When a certificate this node depends on expires (notAfter), unix seconds: its validator certificate, the genesis CAs, its TLS certificate.");
    }

    /// <param name="driver">The QBFT driver in a consortium (null for a solo node): consensus counters and round latency.</param>
    /// <param name="network">The peer network (null for a solo node): peer and gossip counters.</param>
    public NodeMetrics(LedgerChain chain, ConsensusDriver? driver, PeerNetwork? network)
    {
        var info = chain.GetChainInfo();
        _exporter = new MetricsExporter("ledger", new Dictionary<string, string> { ["chain"] = info.ChainId, ["node"] = info.NodeName });
        var meter = _exporter.Meter;
        var metrics = chain.Metrics;
        metrics.Attach(meter);

        meter.CreateObservableGauge("height", () => (long)chain.GetChainInfo().Height, description: "Height of the last committed block.");
        meter.CreateObservableGauge("head_timestamp_milliseconds", () => chain.GetChainInfo().HeadTimestamp, description: "Timestamp of the last committed block, unix milliseconds.");
        meter.CreateObservableCounter("blocks_committed_total", () => metrics.CommittedBlocks, description: "Blocks this node committed since it started.");
        meter.CreateObservableGauge("transactions_total", () => (long)chain.GetChainInfo().TotalTransactions, description: "Transactions in the chain.");
        meter.CreateObservableCounter("transactions_committed_total", () => metrics.CommittedTransactions, description: "Transactions committed since this node started.");
        meter.CreateObservableGauge("mempool_transactions", () => chain.GetChainInfo().MempoolCount, description: "Transactions waiting in the pool.");
        meter.CreateObservableGauge("mempool_bytes", () => chain.GetChainInfo().MempoolBytes, description: "Bytes of transactions waiting in the pool.");
        meter.CreateObservableGauge("mempool_capacity", () => chain.Pool.Capacity(), description: "Transactions the pool takes now: what the chain commits in its window at the recent rate, within the fixed cap.");
        meter.CreateObservableGauge("commit_transactions_per_second", () => chain.Pool.CommitTxPerSecond, description: "Transactions per second the chain committed recently (the pool's window learns from it).");
        meter.CreateObservableCounter("submissions_total", () => metrics.Submitted, description: "Transactions submitted to this node.");
        meter.CreateObservableCounter("admissions_total", () => metrics.Admitted, description: "Submitted transactions admitted to the pool.");
        meter.CreateObservableGauge("last_block_milliseconds", () => metrics.LastBlockMilliseconds, description: "Time the last block's durable commit (one storage batch) took.");
        meter.CreateObservableGauge("validators", () => chain.Validators.Count, description: "Validators in the current set.");
        meter.CreateObservableCounter("admission_rejections_total",
            () => metrics.Rejections.OrderBy(r => r.Key).Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("code", r.Key.ToString()))),
            description: "Submissions refused, by reason.");

        if (driver is not null)
        {
            driver.AttachMetrics(meter);
            ConsensusMetrics? Consensus() => driver.Metrics;
            Counter("consensus_messages_received_total", "Consensus messages received from peers.", () => Consensus()?.Received);
            Counter("consensus_messages_accepted_total", "Consensus messages accepted by the QBFT engine.", () => Consensus()?.Accepted);
            Counter("consensus_messages_sent_total", "Consensus messages this validator signed and sent.", () => Consensus()?.Sent);
            Counter("consensus_round_changes_total", "Rounds this validator moved past.", () => Consensus()?.RoundChanges);
            Counter("consensus_timeouts_total", "Round timeouts.", () => Consensus()?.Timeouts);
            meter.CreateObservableGauge("consensus_timeout_doublings", () => Consensus()?.TimeoutDoublings ?? 0,
                description: "Doublings of the round timeout learned from recent heights decided after a failed round (0: the genesis base).");
            Counter("consensus_signature_checks_saved_total", "Signature checks answered from the engine's memory of verified signatures.", () => Consensus()?.SignatureChecksSaved);
            Counter("consensus_equivocations_total", "Pairs of conflicting messages signed by one validator (evidence at /equivocations).", () => Consensus()?.Equivocations);
            Counter("consensus_untimely_proposals_total", "Proposals refused because their time was outside this validator's window (PBTS: genesis precision and message delay).",
                () => Consensus()?.Dropped(Core.ErrorCode.UntimelyProposal));
            Counter("consensus_conflicting_signatures_refused_total", "Times this validator refused to sign something conflicting with its WAL or below its signing watermark.", () => Consensus()?.ConflictingSignaturesRefused);
            Counter("consensus_signatures_held_total", "Signatures not made while this validator had not yet learned how far its peers committed, or at a height they had committed.", () => Consensus()?.SignaturesHeld);
            meter.CreateObservableCounter("consensus_messages_dropped_total",
                () => (Consensus()?.DroppedByReason() ?? new Dictionary<Core.ErrorCode, long>()).OrderBy(r => r.Key)
                    .Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("code", r.Key.ToString()))),
                description: "Consensus messages dropped (bad signature, not a validator, stale, malformed ...), by reason.");
        }
        if (network is not null)
        {
            var n = network.Metrics;
            Counter("peer_auth_failures_total", "Peer handshakes refused (unknown certificate, bad signature, other chain).", () => n.AuthFailures);
            Counter("peer_reconnects_total", "Reconnections to peers.", () => n.Reconnects);
            Counter("gossip_transactions_received_total", "Transactions received by gossip.", () => n.TransactionsReceived);
            meter.CreateObservableCounter("peer_frames_dropped_total",
                () => n.DroppedByReason.OrderBy(r => r.Key).Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("reason", r.Key.ToString()))),
                description: "Peer frames dropped, by reason.");
            meter.CreateObservableGauge("peer_connected",
                () => network.Peers.Select(p => new Measurement<int>(p.Connected ? 1 : 0, new KeyValuePair<string, object?>("peer", p.Name))),
                description: "Whether the outbound stream to a peer is authenticated (1) or not (0).");
            meter.CreateObservableGauge("peer_height",
                () => network.Peers.Select(p => new Measurement<long>((long)(p.Height ?? 0), new KeyValuePair<string, object?>("peer", p.Name))),
                description: "The head height a peer last reported.");
        }

        WaitForCommit = meter.CreateHistogram<double>("wait_for_commit_seconds", "s", "How long WaitForCommit calls waited, by outcome (committed, timeout, cancelled).");

        void Counter(string name, string description, Func<long?> read) =>
            meter.CreateObservableCounter(name, () => read() is { } v ? [new Measurement<long>(v)] : Array.Empty<Measurement<long>>(), description: description);
    }

    /// <summary>WaitForCommit latency, tagged with its outcome.</summary>
    public Histogram<double> WaitForCommit { get; }

    public Task WriteAsync(Stream output, CancellationToken cancellationToken = default) => _exporter.WriteAsync(output, cancellationToken);

    public Task<string> RenderAsync(CancellationToken cancellationToken = default) => _exporter.RenderAsync(cancellationToken);

    public void Dispose() => _exporter.Dispose();
}
