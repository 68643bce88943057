using System.Globalization;
using System.Text;

namespace Ledger.Explorer.Dashboard;

/// <summary>
/// A table as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Chinese as the ANSI code page), CRLF,
/// RFC 4180 quoting, and a text cell that begins like a formula (= + - @) prefixed with ' so no cell runs as one.
/// </summary>
internal sealed class CsvTable(IReadOnlyList<string> header)
{
    private readonly List<IReadOnlyList<object?>> _rows = [];

    public void Add(params object?[] cells)
    {
        if (cells.Length != header.Count) throw new ArgumentException($"a row of {cells.Length} cells for {header.Count} columns");
        _rows.Add(cells);
    }

    public byte[] ToBytes()
    {
        var text = new StringBuilder();
        Line(text, header);
        foreach (var row in _rows) Line(text, row);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static void Line(StringBuilder text, IEnumerable<object?> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) text.Append(',');
            first = false;
            text.Append(Cell(cell));
        }
        text.Append("\r\n");
    }

    private static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            double d => d.ToString("0.####", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        if (value is string && text.Length > 0 && text[0] is '=' or '+' or '-' or '@') text = "'" + text;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
