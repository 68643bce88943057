using Ledger.Cli.Commands;

namespace Ledger.Cli.Tests.Commands;

/// <summary>Runs the ledger command line in-process, with captured output and a fixed environment.</summary>
public sealed class CliHarness
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public CliHarness Set(string variable, string value)
    {
        _environment[variable] = value;
        return this;
    }

    public (int Exit, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CommandLine.Run(args, Context(output, error));
        return (exit, output.ToString(), error.ToString());
    }

    public CliContext Context(TextWriter output, TextWriter error) => new()
    {
        Out = output,
        Error = error,
        Environment = v => _environment.GetValueOrDefault(v),
        PromptSecret = _ => null,
    };
}
