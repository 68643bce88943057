namespace Ledger.Cli.Bench;

/// <summary>
/// What <c>ledger bench</c> sends: how many txs, how many in flight, how long to measure the crypto bound, how many
/// validators share the machine, an optional offered rate (tx/s; 0 = as fast as the node takes them), and whether the
/// calls go unsigned (to measure what authentication costs).
/// </summary>
public sealed record BenchOptions(int Transactions, int Concurrency, int CryptoSeconds, int Validators, int Rate = 0, bool Anonymous = false);
