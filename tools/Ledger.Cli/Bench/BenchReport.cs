using System.Globalization;

namespace Ledger.Cli.Bench;

/// <summary>The figures of one bench run.</summary>
public sealed record BenchReport(
    int Committed,
    IReadOnlyDictionary<string, int> Failures,
    TimeSpan Elapsed,
    double TxPerSecond,
    double P50Milliseconds,
    double P99Milliseconds,
    int Cores,
    double VerifyPerCore,
    double CryptoBound,
    double Ratio,
    ulong Blocks,
    int Concurrency,
    int Validators,
    int OfferedRate,
    int Retries = 0)
{
    public string ToMarkdown() => string.Create(CultureInfo.InvariantCulture, $"""
        | figure | value |
        |---|---:|
        | txs committed | {Committed:N0} in {Elapsed.TotalSeconds:F1} s ({Blocks} blocks, up to {Concurrency} in flight, offered {(OfferedRate == 0 ? "as fast as taken" : $"{OfferedRate} tx/s")}) |
        | failed | {(Failures.Count == 0 ? "0" : string.Join(", ", Failures.Select(f => $"{f.Key} {f.Value}")))} |
        | submissions retried after a RESOURCE_EXHAUSTED retry hint | {Retries:N0} |
        | sustained tx/s | {TxPerSecond:F0} |
        | commit latency p50 / p99 | {P50Milliseconds:F0} ms / {P99Milliseconds:F0} ms |
        | SM2 verify/s, one core (same run) | {VerifyPerCore:F0} |
        | crypto bound: {Cores} cores × verify/s ÷ ({BenchRunner.SignaturesPerTx} signatures per tx × {Validators} validators) | {CryptoBound:F0} tx/s |
        | ratio tx/s ÷ bound | {Ratio:F2} |
        """);
}
