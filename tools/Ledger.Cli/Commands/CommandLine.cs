using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Ledger.Core;

namespace Ledger.Cli.Commands;

/// <summary>
/// The <c>ledger</c> executable on System.CommandLine: the verbs come from <see cref="Groups"/>, one file per group, and
/// every failure becomes an exit code of ARCHITECTURE §2 — 0 ok, 1 a negative answer, 2 bad usage or input — with one
/// line on stderr, parse errors included.
/// </summary>
public static class CommandLine
{
    /// <summary>
    /// Every verb group. To add verbs, write one file with a <c>Commands(CliContext)</c> method and list it here; a group
    /// may return a parent that another group also returns (<c>ca</c>, <c>contract</c>): their subcommands are merged.
    /// </summary>
    private static readonly Func<CliContext, IEnumerable<Command>>[] Groups =
    [
        FileCommands.Commands,
        KeyCommands.Commands,
        CaCommands.Commands,
        GovernanceCommands.Commands,
        TlsCommands.Commands,
        NetworkCommands.Commands,
        NodeCommands.Commands,
        SignerCommands.Commands,
        ExplorerCommand.Commands,
        ContractCommands.Commands,
        FindCommands.Commands,
        ProofCommands.Commands,
        AccessCommands.Commands,
        BenchCommand.Commands,
        AnchorCommands.Commands,
        AnalyticsCommands.Commands,
        CompletionCommand.Commands,
    ];

    public static int Run(string[] args) => Run(args, CliContext.FromConsole());

    public static int Run(string[] args, CliContext context)
    {
        var root = Build(context);
        if (args is [CompletionCommand.CompleteVerb, ..]) return CompletionCommand.Complete(root, args[1..], context);
        if (args is ["help", .. var rest]) args = [.. rest, "--help"];
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction) return Fail(context, ExitCode.BadInput, ParseErrors.OneLine(parsed));
        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
                // Long-running verbs (node, devnet, signer, explorer) handle SIGINT and SIGTERM themselves (StopSignal).
                ProcessTerminationTimeout = null,
            });
        }
        catch (UsageException e)
        {
            return Fail(context, ExitCode.BadInput, e.Message);
        }
        catch (NegativeAnswerException e)
        {
            return Fail(context, ExitCode.Negative, e.Message);
        }
        catch (LedgerException e)
        {
            return Fail(context, ExitCode.BadInput, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(context, ExitCode.BadInput, e.Message);
        }
    }

    /// <summary>The whole command tree, for help, completion and the tests that walk it.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("ledger — a permissioned ledger for electronic labour contracts.\n" +
            "Exit codes: 0 ok, 1 a negative answer (not found, verification failed), 2 bad usage or input.");
        foreach (var group in Groups)
            foreach (var command in group(context))
                Merge(root, command);
        return root;
    }

    private static void Merge(Command parent, Command command)
    {
        var existing = parent.Subcommands.FirstOrDefault(c => c.Name == command.Name);
        if (existing is null)
        {
            parent.Subcommands.Add(command);
            return;
        }
        if (existing.Action is not null || command.Action is not null || command.Options.Count > 0 || command.Arguments.Count > 0)
            throw new InvalidOperationException($"two verb groups define the command '{command.Name}'");
        foreach (var child in command.Subcommands.ToArray()) Merge(existing, child);
    }

    private static int Fail(CliContext context, int code, string message)
    {
        // One line: whatever the message, no stack trace and no line breaks reach the terminal.
        context.Error.WriteLine($"ledger: {message.ReplaceLineEndings(" ")}");
        return code;
    }
}
