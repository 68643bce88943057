using System.CommandLine;

namespace Ledger.Cli.Commands;

/// <summary>
/// Tab completion: <c>ledger completion bash|zsh</c> prints a script for the shell's startup file; the script asks
/// <c>ledger __complete LINE</c> for the words that may follow, which System.CommandLine computes from the command tree
/// (verbs, options, enum values), so completion cannot drift from what is parsed.
/// </summary>
public static class CompletionCommand
{
    public const string CompleteVerb = "__complete";

    public static IEnumerable<Command> Commands(CliContext context)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var completion = new Command("completion", "print a tab-completion script: eval \"$(ledger completion bash)\" in ~/.bashrc (zsh: ~/.zshrc)") { shell };
        completion.SetAction(p =>
        {
            context.Out.Write(Script(p.GetValue(shell)!));
            return ExitCode.Ok;
        });
        yield return completion;
    }

    /// <summary>The completions of the words typed so far (the line after <c>ledger</c>, up to the cursor), one per line.</summary>
    public static int Complete(RootCommand root, string[] args, CliContext context)
    {
        var line = string.Join(' ', args);
        foreach (var item in root.Parse(line).GetCompletions(line.Length))
        {
            // The Windows-style help aliases are noise in a POSIX shell.
            if (item.Label is "-?" or "/?" or "/h" or "-h") continue;
            context.Out.WriteLine(item.Label);
        }
        return ExitCode.Ok;
    }

    private static string Script(string shell) =>
        (shell == "zsh" ? "autoload -U +X bashcompinit && bashcompinit\n" : "") +
        """
        _ledger_complete() {
          local line="${COMP_LINE:0:COMP_POINT}"
          local IFS=$'\n'
          COMPREPLY=( $("${COMP_WORDS[0]}" __complete "${line#* }" 2>/dev/null) )
        }
        complete -o default -F _ledger_complete ledger

        """;
}
