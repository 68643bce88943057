using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Ledger.Cli.Commands;

/// <summary>
/// How the long-running verbs (node, signer, explorer) log to the console: one line per event with its UTC time to the
/// millisecond and its level (<c>text</c>), or one JSON object per line (<c>json</c>: Timestamp, EventId, LogLevel,
/// Category, Message, State) for log shippers. The framework's own chatter is kept to warnings.
/// </summary>
public static class LogFormat
{
    public const string Text = "text";
    public const string Json = "json";
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static readonly string[] Names = [Text, Json];

    public static Action<ILoggingBuilder> Configure(string format) => logging =>
    {
        if (format == Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = TimestampFormat;
                o.UseUtcTimestamp = true;
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = TimestampFormat + " ";
                o.UseUtcTimestamp = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Grpc", LogLevel.Warning);
        // A failed start is the caller's one-line error, not the host's log.
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
    };
}
