using System.Diagnostics.Metrics;
using System.Text;
using Prometheus;

namespace Ledger.Telemetry;

/// <summary>
/// One service's metrics (a node, a signer, an explorer): its own <see cref="System.Diagnostics.Metrics.Meter"/>, whose
/// instruments prometheus-net's <see cref="MeterAdapter"/> publishes into a registry of this exporter alone, rendered
/// on <c>/metrics</c> in the Prometheus text format. Per-instance, not process-wide: several nodes in one process
/// (tests, a devnet host) each export only their own. Instrument "x" of meter "ledger" is exported as
/// <c>ledger_x</c>; label values are escaped by prometheus-net's serializer. The adapter exports .NET counters as
/// Prometheus gauges (a .NET instrument can be re-created and start again from zero); the values are still
/// monotonic, and <c>rate()</c> works on them.
/// </summary>
public sealed class MetricsExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Seconds, for latencies from a millisecond to a minute.</summary>
    public static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly CollectorRegistry _registry;
    private readonly IDisposable _adapter;

    /// <param name="meterName">The metric name prefix ("ledger", "ledger_signer").</param>
    /// <param name="labels">Labels on every sample (chain, node).</param>
    public MetricsExporter(string meterName, IReadOnlyDictionary<string, string>? labels = null)
    {
        Meter = new Meter(meterName);
        _registry = Metrics.NewCustomRegistry();
        if (labels is { Count: > 0 }) _registry.SetStaticLabels(labels.ToDictionary());
        var meter = Meter;
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = _registry,
            MetricFactory = Metrics.WithCustomRegistry(_registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, meter),
            // The adapter forgets a series not updated for this long (a day at most): observable instruments are updated
            // at every scrape, so only a histogram series with no observation for a day goes away.
            MetricsExpireAfter = TimeSpan.FromDays(1),
            ResolveHistogramBuckets = _ => LatencyBuckets,
        });
    }

    public Meter Meter { get; }

    /// <summary>The exposition of every instrument, observable ones read now.</summary>
    public Task WriteAsync(Stream output, CancellationToken cancellationToken = default) => _registry.CollectAndExportAsTextAsync(output, cancellationToken);

    public async Task<string> RenderAsync(CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await WriteAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void Dispose()
    {
        _adapter.Dispose();
        Meter.Dispose();
    }
}
