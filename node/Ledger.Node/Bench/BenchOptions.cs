namespace Ledger.Node.Bench;

/// <summary>What <c>ledger bench</c> sends: how many txs, how many in flight, how long to measure the crypto bound.</summary>
public sealed record BenchOptions(int Transactions, int Concurrency, int CryptoSeconds, int Validators);
