using System.CommandLine;
using Ledger.Core;
using Ledger.Crypto;

namespace Ledger.Cli.Commands;

/// <summary>The document a contract tx anchors: <c>--document FILE</c> (hashed here, never sent) or <c>--document-hash SM3</c>.</summary>
internal sealed class DocumentOptions(string what = "the signed contract document")
{
    private readonly Option<string?> _file = CliOptions.Optional("--document", "FILE", $"{what}: its SM3 is anchored, the file never leaves this computer");
    private readonly Option<Hash32?> _hash = CliOptions.Hash("--document-hash", $"the SM3 of {what}, instead of --document");

    public Option[] All => [_file, _hash];

    public Hash32 Hash(ParseResult parsed)
    {
        var file = parsed.GetValue(_file);
        var hash = parsed.GetValue(_hash);
        if ((file is null) == (hash is null)) throw new UsageException("give exactly one of --document FILE and --document-hash SM3");
        if (hash is { } given) return given;
        using var stream = FileCommands.OpenInput(file!);
        return Sm3.Hash(stream);
    }
}
