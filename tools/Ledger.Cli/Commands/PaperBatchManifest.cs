using System.Globalization;
using System.Text.Json;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Crypto;

namespace Ledger.Cli.Commands;

/// <summary>
/// A paper batch's manifest: one document a line, as CSV (<c>document,contract_id,grade</c>, an optional header line,
/// <c>#</c> comments) or as JSON lines (<c>{"document": ..., "contractId": ..., "grade": ...}</c>, chosen when the first
/// line starts with <c>{</c>). The document is its SM3 (64 hex digits) or a file path (relative to the manifest's folder,
/// hashed here); the grade is <c>paper-scan</c> / <c>2</c> or <c>electronic-signature</c> / <c>1</c>. The first defect is a
/// <see cref="UsageException"/> naming its line, before anything is submitted.
/// </summary>
internal static class PaperBatchManifest
{
    public static (IReadOnlyList<PaperBatchLeaf> Leaves, Hash32 Digest) Read(string path)
    {
        var bytes = FileCommands.ReadInput(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var lines = System.Text.Encoding.UTF8.GetString(bytes).Split('\n');
        var json = lines.FirstOrDefault(l => l.Trim().Length > 0)?.TrimStart().StartsWith('{') == true;
        var leaves = new List<PaperBatchLeaf>();
        var firstLine = new Dictionary<Hash32, int>();
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || (!json && line.StartsWith('#'))) continue;
            if (!json && leaves.Count == 0 && firstLine.Count == 0 && line.StartsWith("document", StringComparison.OrdinalIgnoreCase)) continue; // the header
            var (document, contractId, grade) = json ? JsonLine(line, number) : CsvLine(line, number);
            var hash = Document(document, folder, number);
            var g = Grade(grade, number);
            try
            {
                PaperBatchLeaf.Check(contractId, g);
            }
            catch (LedgerException e)
            {
                throw Line(number, e.Message);
            }
            if (!firstLine.TryAdd(hash, number)) throw Line(number, $"document {hash} is already on line {firstLine[hash]}");
            leaves.Add(new PaperBatchLeaf(hash, contractId, g));
            if (leaves.Count > UploadPaperBatchPayload.MaxDocuments)
                throw Line(number, $"a batch holds at most {UploadPaperBatchPayload.MaxDocuments} documents: split the manifest");
        }
        if (leaves.Count == 0) throw new UsageException($"manifest {path}: no documents");
        return (leaves, Sm3.Hash(bytes));
    }

    private static (string Document, string ContractId, string Grade) CsvLine(string line, int number)
    {
        var fields = line.Split(',');
        if (fields.Length != 3) throw Line(number, $"expected 3 comma-separated fields (document,contract_id,grade), found {fields.Length}");
        return (fields[0].Trim(), fields[1].Trim(), fields[2].Trim());
    }

    private static (string Document, string ContractId, string Grade) JsonLine(string line, int number)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Line(number, "not a JSON object");
            string? document = null, contractId = null, grade = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "document" when property.Value.ValueKind == JsonValueKind.String: document = property.Value.GetString(); break;
                    case "contractId" when property.Value.ValueKind == JsonValueKind.String: contractId = property.Value.GetString(); break;
                    case "grade" when property.Value.ValueKind is JsonValueKind.String: grade = property.Value.GetString(); break;
                    case "grade" when property.Value.ValueKind is JsonValueKind.Number: grade = property.Value.GetRawText(); break;
                    default: throw Line(number, $"unexpected member '{property.Name}' (or of the wrong type): give document, contractId and grade");
                }
            }
            return (document ?? throw Line(number, "no document"), contractId ?? throw Line(number, "no contractId"), grade ?? throw Line(number, "no grade"));
        }
        catch (JsonException e)
        {
            throw Line(number, $"not JSON: {e.Message}");
        }
    }

    private static Hash32 Document(string document, string folder, int number)
    {
        if (document.Length == 64 && Hash32.TryParse(document, out var hash)) return hash;
        if (document.Length == 0) throw Line(number, "no document");
        var file = Path.Combine(folder, document);
        if (!File.Exists(file)) throw Line(number, $"'{document}' is neither an SM3 hash (64 hex digits) nor a file");
        using var stream = File.OpenRead(file);
        return Sm3.Hash(stream);
    }

    private static EvidenceGrade Grade(string grade, int number) => grade.ToLowerInvariant() switch
    {
        "paper-scan" or "2" => EvidenceGrade.PaperScan,
        "electronic-signature" or "1" => EvidenceGrade.ElectronicSignature,
        _ => throw Line(number, $"grade '{grade}' is not paper-scan (2) or electronic-signature (1)"),
    };

    private static UsageException Line(int number, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"manifest line {number}: {message}; nothing submitted"));
}
