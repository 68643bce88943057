using System.CommandLine;
using System.CommandLine.Parsing;

namespace Ledger.Cli.Commands;

/// <summary>A failed parse as one line: the most telling error, a typo suggestion when a word was close to a known one, and where help is.</summary>
internal static class ParseErrors
{
    public static string OneLine(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var path = CommandPath(parsed.CommandResult);
        var help = path.Length == 0 ? "ledger --help" : $"ledger {path} --help";
        if (parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("unknown option", StringComparison.Ordinal)) is { } unknown)
            return $"{unknown.Message} for '{path}' (see {help})";
        var unmatched = parsed.UnmatchedTokens.FirstOrDefault();
        if (unmatched is not null)
        {
            var what = unmatched.StartsWith('-') ? "option" : command.Subcommands.Count > 0 ? "command" : "argument";
            var suggestion = Suggest(unmatched, command);
            var where = path.Length == 0 ? "" : $" for '{path}'";
            return suggestion is null
                ? $"unknown {what} '{unmatched}'{where} (see {help})"
                : $"unknown {what} '{unmatched}'{where}; did you mean '{suggestion}'? (see {help})";
        }
        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            var verbs = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            return path.Length == 0 ? $"a command is needed: {verbs} (see {help})" : $"'{path}' needs one of: {verbs} (see {help})";
        }
        // A value that was given and is wrong says more than an option that is missing.
        var first = parsed.Errors.OrderBy(e => e.SymbolResult is { Tokens.Count: > 0 } ? 0 : 1).FirstOrDefault()?.Message ?? "cannot parse the command line";
        return $"{first.TrimEnd('.')} (see {help})";
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Parent is not null; r = c.Parent) names.Add(c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The known word closest to <paramref name="word"/> in edit distance, if it is close enough to be a typo.</summary>
    private static string? Suggest(string word, Command command)
    {
        IEnumerable<string> candidates = word.StartsWith('-')
            ? command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal))
            : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
        var bare = word.Split('=')[0];
        return candidates
            .Select(c => (Name: c, Distance: Distance(bare, c)))
            .Where(c => c.Distance <= Math.Max(1, c.Name.Length / 3) || c.Name.StartsWith(bare, StringComparison.Ordinal) && bare.TrimStart('-').Length >= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i, j - 1] + 1, d[i - 1, j] + 1), d[i - 1, j - 1] + cost);
                // A swap of two neighbours counts as one edit (Damerau): "shwo" → "show".
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
