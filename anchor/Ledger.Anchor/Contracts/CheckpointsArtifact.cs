using System.Text.Json;

namespace Ledger.Anchor.Contracts;

/// <summary>
/// solc's output for anchor/contracts/Checkpoints.sol, embedded from Contracts/Checkpoints.json (written by
/// anchor/contracts/compile.js with the pinned compiler; a test checks it is what the source compiles to).
/// </summary>
public static class CheckpointsArtifact
{
    private static readonly Lazy<(string Abi, string Bytecode, string Compiler)> Loaded = new(Load);

    public static string Abi => Loaded.Value.Abi;

    /// <summary>Creation bytecode, 0x-prefixed hex.</summary>
    public static string Bytecode => Loaded.Value.Bytecode;

    /// <summary>The compiler that produced it, e.g. <c>solc 0.8.37+commit...</c>.</summary>
    public static string Compiler => Loaded.Value.Compiler;

    private static (string, string, string) Load()
    {
        using var stream = typeof(CheckpointsArtifact).Assembly.GetManifestResourceStream("Checkpoints.json")
            ?? throw new InvalidOperationException("Checkpoints.json is not embedded in Ledger.Anchor");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        return (root.GetProperty("abi").GetRawText(), root.GetProperty("bytecode").GetString()!, root.GetProperty("compiler").GetString()!);
    }
}
