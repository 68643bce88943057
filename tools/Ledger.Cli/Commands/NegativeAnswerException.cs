namespace Ledger.Cli.Commands;

/// <summary>A well-formed question whose answer is no (not found, verification failed): exit code 1.</summary>
public sealed class NegativeAnswerException(string message) : Exception(message);
