using System.Globalization;
using System.Text;
using Ledger.Chain;

namespace Ledger.Node.Hosting;

/// <summary>The node's /metrics page in the Prometheus text exposition format (version 0.0.4).</summary>
public static class MetricsWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(LedgerChain chain)
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
        Metric("ledger_last_block_milliseconds", "gauge", "Time the last block took from selection to durable commit.", metrics.LastBlockMilliseconds);
        Metric("ledger_validators", "gauge", "Validators in the current set.", info.Validators);

        text.Append("# HELP ledger_admission_rejections_total Submissions refused, by reason.\n");
        text.Append("# TYPE ledger_admission_rejections_total counter\n");
        foreach (var (code, count) in metrics.Rejections.OrderBy(r => r.Key))
            Sample("ledger_admission_rejections_total", count, $"code=\"{code}\"");
        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
