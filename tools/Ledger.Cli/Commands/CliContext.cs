namespace Ledger.Cli.Commands;

/// <summary>What a command may touch besides files: its output streams, the environment and the terminal.</summary>
public sealed class CliContext
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required Func<string, string?> Environment { get; init; }

    /// <summary>Asks a person for a secret without echoing it; null when there is no terminal to ask on.</summary>
    public required Func<string, string?> PromptSecret { get; init; }

    public static CliContext FromConsole() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        Environment = System.Environment.GetEnvironmentVariable,
        PromptSecret = ConsolePrompt,
    };

    /// <summary>The passphrase from <c>--passphrase-env VAR</c>, or typed at the terminal.</summary>
    public string Passphrase(string? variable, bool confirm = false)
    {
        if (variable is not null) return FromEnvironment(variable);
        var typed = PromptSecret("passphrase: ") ?? throw new UsageException("no passphrase: give --passphrase-env VAR (there is no terminal to ask on)");
        if (confirm && PromptSecret("passphrase again: ") != typed) throw new UsageException("the two passphrases differ");
        if (typed.Length == 0) throw new UsageException("an empty passphrase is not allowed");
        return typed;
    }

    /// <summary>The value of an environment variable named on the command line; unset or empty is bad input.</summary>
    public string FromEnvironment(string variable)
    {
        var value = Environment(variable);
        return string.IsNullOrEmpty(value) ? throw new UsageException($"environment variable {variable} is not set") : value;
    }

    private static string? ConsolePrompt(string prompt)
    {
        if (Console.IsInputRedirected) return null;
        Console.Error.Write(prompt);
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
                continue;
            }
            text.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}
