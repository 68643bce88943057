using PdfSharp.Drawing;

namespace Ledger.Reports.Pdf;

/// <summary>
/// Writes lines of mixed Chinese and Latin text down an A4 page: each character in the font that has it (Chinese in
/// the CJK font, the rest in DejaVu), wrapped to a width, with a cursor that moves down.
/// </summary>
internal sealed class ReportCanvas(XGraphics graphics, double left, double right, double top)
{
    private readonly Dictionary<(string, double, bool, char), double> _widths = [];

    public XGraphics Graphics => graphics;
    public double Left => left;
    public double Right => right;
    public double Y { get; set; } = top;

    public static bool IsCjk(char c) =>
        c is >= '\u2E80' and <= '\u9FFF' or >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF' or >= '\uF900' and <= '\uFAFF';

    /// <summary>Writes <paramref name="text"/> wrapped to [x, x + width], starting at the cursor; returns the height used.</summary>
    public double Write(string text, double x, double width, double size, XBrush? brush = null, bool bold = false, bool mono = false)
    {
        var lineHeight = size * 1.35;
        var lines = Wrap(text, width, size, bold, mono);
        var y = Y;
        foreach (var line in lines)
        {
            Draw(line, x, y + size, size, brush ?? XBrushes.Black, bold, mono);
            y += lineHeight;
        }
        return lines.Count * lineHeight;
    }

    /// <summary>A full-width line at the cursor; the cursor moves below it.</summary>
    public void Line(string text, double size, XBrush? brush = null, bool bold = false) =>
        Y += Write(text, left, right - left, size, brush, bold);

    /// <summary>A label and its value side by side; the cursor moves below the taller of the two.</summary>
    public void Row(string label, string value, double size = 8.5, bool mono = false, double labelWidth = 150)
    {
        var labelHeight = Write(label, left, labelWidth - 6, size, XBrushes.DimGray);
        var valueHeight = Write(value, left + labelWidth, right - left - labelWidth, size, mono: mono);
        Y += Math.Max(labelHeight, valueHeight) + 1.5;
    }

    public void Heading(string text)
    {
        Y += 5;
        Line(text, 10.5, new XSolidBrush(XColor.FromArgb(0x1F, 0x3A, 0x5F)), bold: true);
        graphics.DrawLine(new XPen(XColor.FromArgb(0xC8, 0xD0, 0xDA), 0.6), left, Y, right, Y);
        Y += 3;
    }

    private List<string> Wrap(string text, double width, double size, bool bold, bool mono)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var start = 0;
            var lineWidth = 0.0;
            var lastSpace = -1;
            for (var i = 0; i < paragraph.Length; i++)
            {
                var c = paragraph[i];
                if (c == ' ') lastSpace = i;
                lineWidth += Width(c, size, bold, mono);
                if (lineWidth <= width || i == start) continue;
                // Break at the last space of this line if there is one, else before this character.
                var end = lastSpace > start ? lastSpace : i;
                lines.Add(paragraph[start..end]);
                start = end < paragraph.Length && paragraph[end] == ' ' ? end + 1 : end;
                lastSpace = -1;
                lineWidth = 0;
                for (var j = start; j <= i; j++) lineWidth += Width(paragraph[j], size, bold, mono);
            }
            lines.Add(paragraph[start..]);
        }
        return lines;
    }

    private void Draw(string line, double x, double baseline, double size, XBrush brush, bool bold, bool mono)
    {
        var i = 0;
        while (i < line.Length)
        {
            var cjk = IsCjk(line[i]);
            var j = i;
            while (j < line.Length && IsCjk(line[j]) == cjk) j++;
            var run = line[i..j];
            var font = Font(cjk, size, bold, mono);
            graphics.DrawString(run, font, brush, new XPoint(x, baseline), XStringFormats.BaseLineLeft);
            x += graphics.MeasureString(run, font).Width;
            i = j;
        }
    }

    private double Width(char c, double size, bool bold, bool mono)
    {
        var cjk = IsCjk(c);
        var key = (cjk ? ReportFonts.Cjk : mono ? ReportFonts.Mono : ReportFonts.Latin, size, bold, c);
        if (!_widths.TryGetValue(key, out var width))
        {
            width = graphics.MeasureString(c.ToString(), Font(cjk, size, bold, mono)).Width;
            _widths[key] = width;
        }
        return width;
    }

    private static XFont Font(bool cjk, double size, bool bold, bool mono) =>
        new(cjk ? ReportFonts.Cjk : mono ? ReportFonts.Mono : ReportFonts.Latin, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
}
