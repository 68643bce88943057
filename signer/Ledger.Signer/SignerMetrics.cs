using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Ledger.Core;

namespace Ledger.Signer;

/// <summary>Counters for /metrics, published as System.Diagnostics.Metrics instruments (<see cref="Attach"/>). Never anything about a holder.</summary>
public sealed class SignerMetrics
{
    private long _enrolments;
    private long _challenges;
    private long _confirmations;
    private long _rateLimited;
    private long _anchors;
    private readonly ConcurrentDictionary<ErrorCode, long> _refusals = new();

    public long Confirmations => Interlocked.Read(ref _confirmations);

    public void Enrolled() => Interlocked.Increment(ref _enrolments);
    public void ChallengeIssued() => Interlocked.Increment(ref _challenges);
    public void Confirmed() => Interlocked.Increment(ref _confirmations);
    public void RateLimited() => Interlocked.Increment(ref _rateLimited);
    public void Anchored() => Interlocked.Increment(ref _anchors);
    public void Refused(ErrorCode code) => _refusals.AddOrUpdate(code, 1, (_, n) => n + 1);

    /// <summary>Publishes the counters on <paramref name="meter"/> (the signer's "ledger_signer" meter), read at scrape time.</summary>
    public void Attach(Meter meter, Func<ulong> auditHead, Func<ulong> anchoredHead)
    {
        ArgumentNullException.ThrowIfNull(meter);
        meter.CreateObservableCounter("enrolments_total", () => Interlocked.Read(ref _enrolments), description: "Holders enrolled.");
        meter.CreateObservableCounter("challenges_total", () => Interlocked.Read(ref _challenges), description: "Signature challenges issued.");
        meter.CreateObservableCounter("confirmations_total", () => Interlocked.Read(ref _confirmations), description: "Signatures confirmed.");
        meter.CreateObservableCounter("rate_limited_total", () => Interlocked.Read(ref _rateLimited), description: "Calls refused by the per-client rate limit.");
        meter.CreateObservableCounter("anchors_total", () => Interlocked.Read(ref _anchors), description: "Audit heads anchored on the ledger.");
        meter.CreateObservableCounter("refusals_total",
            () => _refusals.OrderBy(p => (int)p.Key).Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("code", p.Key.ToString()))),
            description: "Refused calls by reason.");
        meter.CreateObservableGauge("audit_head", () => (long)auditHead(), description: "Sequence of the newest audit record.");
        meter.CreateObservableGauge("anchored_head", () => (long)anchoredHead(), description: "Sequence of the newest anchored audit record.");
    }
}
