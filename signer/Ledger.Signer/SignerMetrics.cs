using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Ledger.Core;

namespace Ledger.Signer;

/// <summary>Counters for /metrics (Prometheus text format). Never anything about a holder.</summary>
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

    public string Render(ulong auditHead, ulong anchoredHead)
    {
        var text = new StringBuilder();
        void Line(string name, string help, long value)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
        }
        Line("ledger_signer_enrolments_total", "Holders enrolled.", Interlocked.Read(ref _enrolments));
        Line("ledger_signer_challenges_total", "Signature challenges issued.", Interlocked.Read(ref _challenges));
        Line("ledger_signer_confirmations_total", "Signatures confirmed.", Interlocked.Read(ref _confirmations));
        Line("ledger_signer_rate_limited_total", "Calls refused by the per-client rate limit.", Interlocked.Read(ref _rateLimited));
        Line("ledger_signer_anchors_total", "Audit heads anchored on the ledger.", Interlocked.Read(ref _anchors));
        text.Append("# HELP ledger_signer_refusals_total Refused calls by reason.\n# TYPE ledger_signer_refusals_total counter\n");
        foreach (var (code, count) in _refusals.OrderBy(p => (int)p.Key))
            text.Append(CultureInfo.InvariantCulture, $"ledger_signer_refusals_total{{code=\"{code}\"}} {count}\n");
        text.Append(CultureInfo.InvariantCulture, $"# HELP ledger_signer_audit_head Sequence of the newest audit record.\n# TYPE ledger_signer_audit_head gauge\nledger_signer_audit_head {auditHead}\n");
        text.Append(CultureInfo.InvariantCulture, $"# HELP ledger_signer_anchored_head Sequence of the newest anchored audit record.\n# TYPE ledger_signer_anchored_head gauge\nledger_signer_anchored_head {anchoredHead}\n");
        return text.ToString();
    }
}
