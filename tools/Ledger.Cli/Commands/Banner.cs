using Microsoft.Extensions.Logging;

namespace Ledger.Cli.Commands;

/// <summary>
/// What a long-running verb says about itself (endpoints, running, stopping): plain lines for a person in the text
/// format; log events of category <c>Ledger.Cli</c> in the json format, so every line of the output is one JSON object.
/// </summary>
internal sealed class Banner : IDisposable
{
    private readonly CliContext _context;
    private readonly ILoggerFactory? _loggers;
    private readonly ILogger? _logger;

    public Banner(CliContext context, string logFormat, Action<ILoggingBuilder> logging)
    {
        _context = context;
        if (logFormat != LogFormat.Json) return;
        _loggers = LoggerFactory.Create(logging);
        _logger = _loggers.CreateLogger("Ledger.Cli");
    }

    public void Say(string template, params object?[] values)
    {
        if (_logger is not null)
        {
#pragma warning disable CA2254 // The templates are the constant strings of the verbs.
            _logger.LogInformation(template, values);
#pragma warning restore CA2254
            return;
        }
        _context.Out.WriteLine(Render(template, values));
        _context.Out.Flush();
    }

    public void Dispose() => _loggers?.Dispose();

    /// <summary>A message template with its values in place: "{Node}: height {Height}" → "guangzhou: height 3".</summary>
    private static string Render(string template, object?[] values)
    {
        var text = new System.Text.StringBuilder();
        var next = 0;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{' && template.IndexOf('}', i) is var close and > 0)
            {
                text.Append(System.Convert.ToString(next < values.Length ? values[next] : null, System.Globalization.CultureInfo.InvariantCulture));
                next++;
                i = close;
            }
            else
            {
                text.Append(template[i]);
            }
        }
        return text.ToString();
    }
}
