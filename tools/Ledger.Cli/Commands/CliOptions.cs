using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;

namespace Ledger.Cli.Commands;

/// <summary>
/// The kinds of option and argument the verbs share. Each parses and checks its value while the command line is parsed,
/// so a bad value is a parse error (exit 2, one line) before anything runs, and help shows the value's shape.
/// </summary>
public static class CliOptions
{
    public static Option<string> Required(string name, string helpName, string description) =>
        new(name) { Required = true, HelpName = helpName, Description = description };

    public static Option<string?> Optional(string name, string helpName, string description) =>
        new(name) { HelpName = helpName, Description = description };

    public static Option<bool> Flag(string name, string description) =>
        new(name) { Arity = ArgumentArity.Zero, Description = description };

    public static Argument<string> Positional(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        // An unknown option in a positional's place is a mistyped option, not a file name.
        argument.Validators.Add(r =>
        {
            if (r.Tokens.FirstOrDefault()?.Value is { } value && value.StartsWith("--", StringComparison.Ordinal)) r.AddError($"unknown option '{value}'");
        });
        return argument;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, <paramref name="defaultValue"/> when absent.</summary>
    public static Option<int> Int(string name, string helpName, int defaultValue, int min, int max, string description) => new(name)
    {
        HelpName = helpName,
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseInt(r, name, min, max) ?? defaultValue,
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, null when absent.</summary>
    public static Option<int?> OptionalInt(string name, string helpName, int min, int max, string description) => new(name)
    {
        HelpName = helpName,
        Description = description,
        CustomParser = r => ParseInt(r, name, min, max),
    };

    /// <summary>A block height from 1 on, null when absent.</summary>
    public static Option<ulong?> OptionalULong(string name, string helpName, string description) => new(name)
    {
        HelpName = helpName,
        Description = description,
        CustomParser = r =>
        {
            var text = Single(r);
            if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0) return value;
            r.AddError($"{name} must be a block height from 1 on, got '{text}'");
            return null;
        },
    };

    /// <summary>Names an environment variable holding a passphrase (never the passphrase itself, which would show in ps).</summary>
    public static Option<string?> PassphraseEnv(string name = "--passphrase-env", string what = "the key file's passphrase") =>
        Optional(name, "VAR", $"environment variable holding {what} (else asked at the terminal)");

    /// <summary>For tests and throw-away keys: accept key files encrypted with fewer KDF iterations than the floor.</summary>
    public static Option<bool> AllowWeakKdf() =>
        new("--allow-weak-kdf") { Arity = ArgumentArity.Zero, Description = "accept key files with fewer KDF iterations than the floor (tests only)", Hidden = true };

    public static Option<Hash32?> Hash(string name, string description, bool required = false) => new(name)
    {
        HelpName = "SM3",
        Description = description,
        Required = required,
        CustomParser = r => Hash32.TryParse(Single(r), out var hash) ? hash : Error<Hash32?>(r, $"{name} must be 64 hex digits (an SM3 hash), got '{Single(r)}'"),
    };

    public static Option<ContractDate?> Date(string name, string description, bool required = false) => new(name)
    {
        HelpName = "yyyy-mm-dd",
        Description = description,
        Required = required,
        CustomParser = r => ContractDate.TryParse(Single(r), out var date) ? date : Error<ContractDate?>(r, $"{name} must be a date yyyy-mm-dd, got '{Single(r)}'"),
    };

    public static Option<CreditCode?> CreditCode(string name, string description, bool required = false) => new(name)
    {
        HelpName = "CODE",
        Description = description,
        Required = required,
        CustomParser = r => ParseCreditCode(r, name),
    };

    public static Option<DivisionCode?> Division(string name, string description, bool required = false) => new(name)
    {
        HelpName = "DIVISION12",
        Description = description,
        Required = required,
        CustomParser = r => Single(r).Length == 12 && Core.Identity.DivisionCode.TryParse(Single(r), out var code)
            ? code
            : Error<DivisionCode?>(r, $"{name} must be a 12-digit statistical division code (province 2, city 2, county 2, town 3, village 3 digits; e.g. 440106000000), got '{Single(r)}'"),
    };

    /// <summary>A contract id (or model-text id): 1-64 of A-Z a-z 0-9 . _ - :, starting with a letter or digit, as the chaincode requires.</summary>
    public static Option<string> ContractId(string name, string description, bool required = true) => new(name)
    {
        HelpName = "ID",
        Description = description,
        Required = required,
        CustomParser = r => Chaincode.Rules.ContractIdRule.IsValid(Single(r)) ? Single(r) : Error<string>(r, $"{name} must be 1-64 characters of A-Z a-z 0-9 . _ - : starting with a letter or digit, got '{Single(r)}'"),
    };

    /// <summary>The console log format of a long-running verb: text or json (see <see cref="Commands.LogFormat"/>).</summary>
    public static Option<string?> LogFormatOption(string defaultText = "text")
    {
        var option = new Option<string?>("--log-format")
        {
            HelpName = "text|json",
            Description = $"console logs: text (one line per event: UTC time to the ms, level, category, message) or json (one object per line); default {defaultText}",
        };
        option.AcceptOnlyFromAmong(Commands.LogFormat.Names);
        return option;
    }

    /// <summary>A GB/T 4754-2017 industry code (a section letter, or a letter and 2-4 digits: I, I65, I651, I6510).</summary>
    public static Option<string> Industry(string name, string description) => new(name)
    {
        HelpName = "GB4754",
        Description = description,
        Required = true,
        CustomParser = r => Chaincode.Law.IndustryCodes.IsValid(Single(r)) ? Single(r) : Error<string>(r, $"{name} must be a GB/T 4754-2017 industry code such as I6510, got '{Single(r)}'"),
    };

    /// <summary>An enum value by its name in kebab case (art36-agreement, fixed-term, pdf); never by number, never the zero value.</summary>
    public static Option<T?> Named<T>(string name, string description, bool required = true) where T : struct, Enum
    {
        var names = Enum.GetNames<T>().Skip(1).Select(Kebab).ToArray();
        var option = new Option<T?>(name)
        {
            HelpName = string.Join('|', names.Length <= 4 ? names : [.. names.Take(3), "..."]),
            Description = $"{description}: {string.Join(", ", names)}",
            Required = required,
            CustomParser = r => ParseNamed<T>(r, name, names),
        };
        option.CompletionSources.Clear();
        option.CompletionSources.Add(names);
        return option;
    }

    public static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) && !char.IsUpper(pascal[i - 1]) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static T? ParseNamed<T>(ArgumentResult result, string name, string[] names) where T : struct, Enum
    {
        var text = Single(result);
        var bare = text.Replace("-", "", StringComparison.Ordinal);
        if (bare.Length > 0 && char.IsAsciiLetter(bare[0]) && Enum.TryParse<T>(bare, ignoreCase: true, out var value) && Convert.ToInt32(value, CultureInfo.InvariantCulture) != 0)
            return value;
        return Error<T?>(result, $"{name} must be one of {string.Join(", ", names)}; got '{text}'");
    }

    private static CreditCode? ParseCreditCode(ArgumentResult result, string name)
    {
        var text = Single(result);
        if (Core.Identity.CreditCode.TryParse(text, out var code)) return code;
        // Say what is wrong: a person copying a code mistypes one character far more often than anything else.
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var why = text.Length != 18
            ? $"it has {text.Length} characters, not 18"
            : text.FirstOrDefault(c => !alphabet.Contains(c)) is var bad and not '\0'
                ? $"'{bad}' is not in the GB 32100 alphabet (digits and capitals without I, O, S, V, Z)"
                : $"its check character is '{text[17]}', GB 32100 gives '{Core.Identity.CreditCode.CheckCharacter(text.AsSpan(0, 17))}'";
        return Error<CreditCode?>(result, $"{name} '{text}' is not a unified social credit code: {why}");
    }

    private static int? ParseInt(ArgumentResult result, string name, int min, int max)
    {
        var text = Single(result);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        result.AddError($"{name} must be a whole number from {min} to {max}, got '{text}'");
        return null;
    }

    private static string Single(ArgumentResult result) => result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;

    internal static T Error<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
