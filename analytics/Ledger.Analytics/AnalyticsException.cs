namespace Ledger.Analytics;

/// <summary>A refusal of the indexer or the statistics service that a user can act on: one line, no stack trace.</summary>
public sealed class AnalyticsException(string message, Exception? inner = null) : Exception(message, inner);
