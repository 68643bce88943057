using System.Globalization;
using System.Text;
using Ledger.Chain;
using Ledger.Consensus;
using Ledger.Core;
using Ledger.Network;

namespace Ledger.Node.Hosting;

/// <summary>The node's /metrics page in the Prometheus text exposition format (version 0.0.4).</summary>
public static class MetricsWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(LedgerChain chain, ConsensusMetrics? consensus = null, NetworkMetrics? network = null, IReadOnlyList<PeerStatus>? peers = null)
    {
        var info = chain.GetChainInfo();
        var metrics = chain.Metrics;
        var text = new StringBuilder(2048);
        var labels = $"chain=\"{Escape(info.ChainId)}\",node=\"{Escape(info.NodeName)}\"";

        void Metric(string name, string type, string help, long value, string? extraLabels = null)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            Sample(name, value, extraLabels);
        }

        void Sample(string name, long value, string? extraLabels = null) =>
            text.Append(name).Append('{').Append(labels).Append(extraLabels is null ? "" : "," + extraLabels).Append("} ")
                .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

        Metric("ledger_height", "gauge", "Height of the last committed block.", (long)info.Height);
        Metric("ledger_head_timestamp_milliseconds", "gauge", "Timestamp of the last committed block, unix milliseconds.", info.HeadTimestamp);
        Metric("ledger_blocks_committed_total", "counter", "Blocks this node committed since it started.", metrics.CommittedBlocks);
        Metric("ledger_transactions_total", "gauge", "Transactions in the chain.", (long)info.TotalTransactions);
        Metric("ledger_transactions_committed_total", "counter", "Transactions committed since this node started.", metrics.CommittedTransactions);
        Metric("ledger_mempool_transactions", "gauge", "Transactions waiting in the pool.", info.MempoolCount);
        Metric("ledger_mempool_bytes", "gauge", "Bytes of transactions waiting in the pool.", info.MempoolBytes);
        Metric("ledger_submissions_total", "counter", "Transactions submitted to this node.", metrics.Submitted);
        Metric("ledger_admissions_total", "counter", "Submitted transactions admitted to the pool.", metrics.Admitted);
        Metric("ledger_last_block_milliseconds", "gauge", "Time the last block's durable commit (one storage batch) took.", metrics.LastBlockMilliseconds);
        Metric("ledger_validators", "gauge", "Validators in the current set.", info.Validators);

        text.Append("# HELP ledger_admission_rejections_total Submissions refused, by reason.\n");
        text.Append("# TYPE ledger_admission_rejections_total counter\n");
        foreach (var (code, count) in metrics.Rejections.OrderBy(r => r.Key))
            Sample("ledger_admission_rejections_total", count, $"code=\"{code}\"");

        if (consensus is not null)
        {
            Metric("ledger_consensus_messages_received_total", "counter", "Consensus messages received from peers.", consensus.Received);
            Metric("ledger_consensus_messages_accepted_total", "counter", "Consensus messages accepted by the QBFT engine.", consensus.Accepted);
            Metric("ledger_consensus_messages_sent_total", "counter", "Consensus messages this validator signed and sent.", consensus.Sent);
            Metric("ledger_consensus_round_changes_total", "counter", "Rounds this validator moved past.", consensus.RoundChanges);
            Metric("ledger_consensus_timeouts_total", "counter", "Round timeouts.", consensus.Timeouts);
            Metric("ledger_consensus_equivocations_total", "counter", "Pairs of conflicting messages signed by one validator (evidence at /equivocations).", consensus.Equivocations);
            Metric("ledger_consensus_untimely_proposals_total", "counter", "Proposals refused because their time was outside this validator's window (PBTS: genesis precision and message delay).",
                consensus.Dropped(ErrorCode.UntimelyProposal));
            Metric("ledger_consensus_conflicting_signatures_refused_total", "counter", "Times this validator refused to sign something conflicting with its WAL.", consensus.ConflictingSignaturesRefused);
            text.Append("# HELP ledger_consensus_messages_dropped_total Consensus messages dropped (bad signature, not a validator, stale, malformed ...), by reason.\n");
            text.Append("# TYPE ledger_consensus_messages_dropped_total counter\n");
            foreach (var (code, count) in consensus.DroppedByReason().OrderBy(r => r.Key))
                Sample("ledger_consensus_messages_dropped_total", count, $"code=\"{code}\"");
        }
        if (network is not null)
        {
            Metric("ledger_peer_auth_failures_total", "counter", "Peer handshakes refused (unknown certificate, bad signature, other chain).", network.AuthFailures);
            Metric("ledger_peer_reconnects_total", "counter", "Reconnections to peers.", network.Reconnects);
            Metric("ledger_gossip_transactions_received_total", "counter", "Transactions received by gossip.", network.TransactionsReceived);
            text.Append("# HELP ledger_peer_frames_dropped_total Peer frames dropped, by reason.\n");
            text.Append("# TYPE ledger_peer_frames_dropped_total counter\n");
            foreach (var (reason, count) in network.DroppedByReason.OrderBy(r => r.Key))
                Sample("ledger_peer_frames_dropped_total", count, $"reason=\"{reason}\"");
        }
        if (peers is not null)
        {
            text.Append("# HELP ledger_peer_connected Whether the outbound stream to a peer is authenticated (1) or not (0).\n");
            text.Append("# TYPE ledger_peer_connected gauge\n");
            foreach (var peer in peers) Sample("ledger_peer_connected", peer.Connected ? 1 : 0, $"peer=\"{Escape(peer.Name)}\"");
            text.Append("# HELP ledger_peer_height The head height a peer last reported.\n");
            text.Append("# TYPE ledger_peer_height gauge\n");
            foreach (var peer in peers) Sample("ledger_peer_height", (long)(peer.Height ?? 0), $"peer=\"{Escape(peer.Name)}\"");
        }
        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
