namespace Ledger.Cli.Commands;

/// <summary>
/// A command's arguments: positionals and <c>--name value</c> options (or <c>--flag</c>). Each option is
/// declared by the command that reads it; anything left unread is reported as unknown.
/// </summary>
public sealed class Arguments
{
    private readonly List<string> _positionals = [];
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private int _positionalsRead;

    public Arguments(IEnumerable<string> args, params string[] flags)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                string name;
                string? value;
                if (eq > 0)
                {
                    name = arg[2..eq];
                    value = arg[(eq + 1)..];
                }
                else
                {
                    name = arg[2..];
                    if (flags.Contains(name)) value = null;
                    else if (e.MoveNext()) value = e.Current;
                    else throw new UsageException($"--{name} needs a value");
                }
                if (!_options.TryAdd(name, value)) throw new UsageException($"--{name} given twice");
            }
            else
            {
                _positionals.Add(arg);
            }
        }
    }

    public string Positional(string what) =>
        _positionalsRead < _positionals.Count ? _positionals[_positionalsRead++] : throw new UsageException($"missing {what}");

    public string? OptionalPositional() => _positionalsRead < _positionals.Count ? _positionals[_positionalsRead++] : null;

    public string Required(string name) => Optional(name) ?? throw new UsageException($"missing --{name}");

    public string? Optional(string name)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out var value) ? value ?? throw new UsageException($"--{name} needs a value") : null;
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _options.ContainsKey(name);
    }

    public int Int(string name, int defaultValue, int min, int max)
    {
        var text = Optional(name);
        if (text is null) return defaultValue;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException($"--{name} must be a whole number from {min} to {max}, got '{text}'");
        return value;
    }

    /// <summary>Call after reading everything: rejects unknown options and extra positionals.</summary>
    public void EnsureAllRead()
    {
        var unknown = _options.Keys.FirstOrDefault(k => !_read.Contains(k));
        if (unknown is not null) throw new UsageException($"unknown option --{unknown}");
        if (_positionalsRead < _positionals.Count) throw new UsageException($"unexpected argument '{_positionals[_positionalsRead]}'");
    }
}
