namespace Ledger.Cli.Commands;

/// <summary>The command line was wrong: exit code 2 and one line on stderr.</summary>
public sealed class UsageException(string message) : Exception(message);
